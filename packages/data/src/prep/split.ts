import { check, positiveInt, type Rng } from '@aml/core';

/** Index sets of one split. */
export interface Split {
  /** Training row indices. */
  readonly train: number[];
  /** Validation (held-out) row indices. */
  readonly val: number[];
}

/** Fractions of a train/validation/test split (the rest is training). */
export interface SplitFractions {
  /** Share of rows for validation, in [0, 1). */
  readonly val: number;
  /** Share of rows for testing, in [0, 1). */
  readonly test: number;
}

function checkFraction(name: string, f: number): void {
  if (!(f >= 0 && f < 1)) throw new Error(`${name} must be in [0, 1), got ${f}`);
}

/**
 * Random train/validation/test split of n rows (seeded). With `labels`, each class is split in the same
 * proportions (stratified), so rare classes appear in every part.
 */
export function trainValTestSplit(
  n: number,
  f: SplitFractions,
  rng: Rng,
  labels?: ArrayLike<number | string>,
): { train: number[]; val: number[]; test: number[] } {
  checkFraction('val', f.val);
  checkFraction('test', f.test);
  if (f.val + f.test >= 1) throw new Error(`val + test must be < 1 so some rows train, got ${f.val} + ${f.test}`);
  const groups = labels ? groupBy(labels, n) : [Array.from({ length: n }, (_, i) => i)];
  const out = { train: [] as number[], val: [] as number[], test: [] as number[] };
  for (const g of groups) {
    const p = rng.permutation(g.length);
    const nTest = Math.round(f.test * g.length);
    const nVal = Math.round(f.val * g.length);
    for (let k = 0; k < g.length; k++) {
      const i = g[p[k]];
      if (k < nTest) out.test.push(i);
      else if (k < nTest + nVal) out.val.push(i);
      else out.train.push(i);
    }
  }
  for (const a of Object.values(out)) a.sort((x, y) => x - y);
  return out;
}

/** Row indices of each distinct label (labels in first-seen order). */
function groupBy(labels: ArrayLike<number | string>, n: number): number[][] {
  if (labels.length !== n) throw new Error(`labels has ${labels.length} values but there are ${n} rows`);
  const m = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(i);
  }
  return [...m.values()];
}

function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 2) throw new Error(`folds must be an integer >= 2, got ${k}`);
  if (k > n) throw new Error(`folds (${k}) cannot exceed the number of rows (${n})`);
}

/** Assemble folds from a fold id per row. */
function foldsFromIds(ids: Int32Array, k: number): Split[] {
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const val: number[] = [];
    ids.forEach((id, i) => (id === f ? val : train).push(i));
    return { train, val };
  });
}

/**
 * k-fold cross-validation: rows shuffled (seeded), cut into k folds of sizes differing by at most 1;
 * fold f validates on its rows and trains on the others. Every row is validated exactly once.
 */
export function kFold(n: number, k: number, rng: Rng): Split[] {
  checkK(k, n);
  const p = rng.permutation(n);
  const ids = new Int32Array(n);
  for (let r = 0; r < n; r++) ids[p[r]] = r % k;
  return foldsFromIds(ids, k);
}

/**
 * Stratified k-fold: each class is shuffled and dealt round-robin over the folds, continuing where the
 * previous class stopped, so every fold keeps the class ratios (counts differ by at most 1 per class)
 * and fold sizes differ by at most 1.
 */
export function stratifiedKFold(labels: ArrayLike<number | string>, k: number, rng: Rng): Split[] {
  const n = labels.length;
  checkK(k, n);
  const ids = new Int32Array(n);
  let next = 0;
  for (const g of groupBy(labels, n)) {
    const p = rng.permutation(g.length);
    for (let r = 0; r < g.length; r++) ids[g[p[r]]] = (next + r) % k;
    next = (next + g.length) % k;
  }
  return foldsFromIds(ids, k);
}

/**
 * Forward-chaining splits for time series: fold f trains on everything before its validation block,
 * never on the future. Rows must be in time order. The first block is training only.
 */
export function timeSeriesSplit(n: number, k: number): Split[] {
  check(positiveInt(), k, 'timeSeriesSplit: folds');
  checkK(k + 1, n);
  const block = Math.floor(n / (k + 1));
  return Array.from({ length: k }, (_, f) => {
    const end = (f + 1) * block;
    const stop = f === k - 1 ? n : end + block;
    return {
      train: Array.from({ length: end }, (_, i) => i),
      val: Array.from({ length: stop - end }, (_, i) => end + i),
    };
  });
}

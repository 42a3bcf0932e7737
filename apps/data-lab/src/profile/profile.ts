import { type Column, getColumn, isMissing, type Table } from '@aml/data';

/** What data-lab learns about one column. */
export interface ColumnProfile {
  readonly name: string;
  readonly type: Column['type'];
  readonly missing: number;
  /** Distinct non-missing values. */
  readonly distinct: number;
  /** Numeric/date columns: range, mean and std of the present values. */
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  readonly std?: number;
  /** Text columns: up to 5 most frequent values with counts. */
  readonly top?: readonly [string, number][];
}

/** The supervised task data-lab runs. */
export type Task = 'classification' | 'regression' | 'forecast';

/** Profile of a table: columns, pairwise correlations of numeric columns, and the inferred task. */
export interface DataProfile {
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
  /** Names of numeric columns, in the order of `correlation`. */
  readonly numeric: readonly string[];
  /** Pearson correlations (pairwise complete rows), numeric.length^2 row-major. */
  readonly correlation: number[];
}

/**
 * Profile one column in one pass over its values (Welford's mean and variance, min, max, missing), plus one
 * sort of a typed copy for the distinct count: no array of millions of values is ever spread into a call.
 */
export function profileColumn(c: Column): ColumnProfile {
  if (c.type === 'string') {
    const counts = new Map<string, number>();
    let missing = 0;
    for (const v of c.values) {
      if (v === null) missing++;
      else counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
    return { name: c.name, type: c.type, missing, distinct: counts.size, top };
  }
  const present = new Float64Array(c.values.length);
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < c.values.length; i++) {
    const x = c.values[i];
    if (Number.isNaN(x)) continue;
    present[n++] = x;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const sorted = present.subarray(0, n).sort();
  let distinct = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return {
    name: c.name,
    type: c.type,
    missing: c.values.length - n,
    distinct,
    min: n ? min : NaN,
    max: n ? max : NaN,
    mean: n ? mean : NaN,
    std: n ? Math.sqrt(m2 / n) : NaN,
  };
}

/** Pearson correlation over rows where both values are present (NaN if fewer than 2 or a constant column). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++)
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) {
      n++;
      sa += a[i];
      sb += b[i];
    }
  if (n < 2) return NaN;
  const ma = sa / n;
  const mb = sb / n;
  let cab = 0;
  let caa = 0;
  let cbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    cab += (a[i] - ma) * (b[i] - mb);
    caa += (a[i] - ma) ** 2;
    cbb += (b[i] - mb) ** 2;
  }
  return caa > 0 && cbb > 0 ? cab / Math.sqrt(caa * cbb) : NaN;
}

/** Profile every column and the correlations of the numeric ones. */
export function profileTable(t: Table): DataProfile {
  const numericCols = t.columns.filter((c) => c.type === 'number');
  const k = numericCols.length;
  const correlation = new Array<number>(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const r = i === j ? 1 : pearson(numericCols[i].values as Float64Array, numericCols[j].values as Float64Array);
      correlation[i * k + j] = r;
      correlation[j * k + i] = r;
    }
  }
  return { rows: t.nRows, columns: t.columns.map(profileColumn), numeric: numericCols.map((c) => c.name), correlation };
}

/** Most classes a numeric target may have and still be read as class labels. */
export const MAX_NUMERIC_CLASSES = 10;

/**
 * Infer the task from the target column: text -> classification; integers with at most 10 distinct values
 * (and fewer than half the rows) -> classification; other numbers -> regression. `--task` overrides.
 */
export function inferTask(t: Table, target: string): { task: Task; reason: string } {
  const c = getColumn(t, target);
  if (c.type === 'string') return { task: 'classification', reason: `target '${target}' holds text` };
  if (c.type === 'date')
    throw new Error(`target '${target}' holds dates; choose a numeric or text target (use --time for the time column)`);
  const present: number[] = [];
  for (let i = 0; i < c.values.length; i++) if (!isMissing(c, i)) present.push(c.values[i] as number);
  const distinct = new Set(present);
  const integers = present.every((v) => Number.isInteger(v));
  if (integers && distinct.size <= MAX_NUMERIC_CLASSES && distinct.size < present.length / 2) {
    return { task: 'classification', reason: `target '${target}' has ${distinct.size} distinct integer values` };
  }
  return { task: 'regression', reason: `target '${target}' is numeric with ${distinct.size} distinct values` };
}

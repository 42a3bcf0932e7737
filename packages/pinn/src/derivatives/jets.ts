/**
 * Jets: truncated Taylor series of a batch of values in the network's inputs, as a
 * `NetOps` algebra. A jet holds the value (N, w) and one tensor per needed multi-index
 * (the requested derivatives closed under sub-multisets), so a network written once over
 * `NetOps` yields its input derivatives to fourth order in ONE forward pass of tfjs ops, and
 * the weight gradients of any loss built from them in one ordinary reverse pass
 * (Griewank & Walther, "Evaluating Derivatives", 2008, ch. 13; Bettencourt, Johnson &
 * Duvenaud 2019, "Taylor-mode automatic differentiation for higher-order derivatives").
 *
 * Rules: linear ops act on every component (a bias on the value only); elementwise
 * functions by Faà di Bruno over set partitions; products by Leibniz over subsets.
 * Components known to be zero are `null` and skipped; components constant over the points
 * (an input's first derivative, a linear layer of it) are (1, w) rows, broadcast.
 */
import { getActivation, tf, type ActivationName, type NetOps } from '@aml/core';
import { derivativeKey, type DerivativeIndex } from './engine';
import { faaTerms, leibnizTerms, type FaaTerm, type LeibnizTerm } from './multi-index';

type T2 = tf.Tensor2D;

/** A value (N, w) with its input-derivative components ((N, w), (1, w) rows, or null = 0) by key. */
export interface Jet {
  readonly v: T2;
  readonly d: ReadonlyMap<string, T2 | null>;
}

/** The components a jet algebra carries, with their precomputed product and chain-rule terms. */
export interface JetPlan {
  /** Non-value multi-indices, by order. */
  readonly indices: readonly DerivativeIndex[];
  readonly keys: readonly string[];
  readonly order: number;
  readonly faa: ReadonlyMap<string, readonly FaaTerm[]>;
  readonly leibniz: ReadonlyMap<string, readonly LeibnizTerm[]>;
}

/** Plan a jet algebra over closed indices (e.g. from `closeRequests`; the value [] may be included). */
export function planJets(closed: readonly DerivativeIndex[]): JetPlan {
  const indices = closed.filter((i) => i.length > 0);
  const keys = indices.map(derivativeKey);
  return {
    indices,
    keys,
    order: indices.reduce((m, i) => Math.max(m, i.length), 0),
    faa: new Map(indices.map((i, q) => [keys[q], faaTerms(i)])),
    leibniz: new Map(indices.map((i, q) => [keys[q], leibnizTerms(i)])),
  };
}

/** The input points as a jet: d x / d x_i = e_i (a (1, d) row), higher derivatives 0. */
export function inputJet(x: T2, plan: JetPlan): Jet {
  const d = x.shape[1];
  const comps = new Map<string, T2 | null>();
  plan.indices.forEach((idx, q) => {
    if (idx.length !== 1) return comps.set(plan.keys[q], null);
    const row = new Float32Array(d);
    row[idx[0]] = 1;
    comps.set(plan.keys[q], tf.tensor2d(row, [1, d]));
  });
  return { v: x, d: comps };
}

/** A component as a full (N, w) tensor (zeros for null, rows broadcast). */
export function jetComponent(j: Jet, key: string): T2 {
  if (key === '') return j.v;
  const c = j.d.get(key);
  if (c === undefined) throw new Error(`jet: no component [${key}] (the plan does not carry it)`);
  if (c === null) return tf.zerosLike(j.v);
  return c.shape[0] === j.v.shape[0] ? c : (tf.broadcastTo(c, j.v.shape) as T2);
}

const plus = (a: T2 | null, b: T2 | null): T2 | null => (a === null ? b : b === null ? a : (tf.add(a, b) as T2));
const times = (c: number, t: T2): T2 => (c === 1 ? t : (tf.mul(c, t) as T2));
const mapComps = (j: Jet, f: (t: T2) => T2): Map<string, T2 | null> =>
  new Map([...j.d].map(([k, t]) => [k, t === null ? null : f(t)]));

/** f o a, given [f(a), f'(a), ..., f^(order)(a)]: Faà di Bruno per component. */
function compose(a: Jet, series: readonly T2[], plan: JetPlan): Jet {
  const comp = (k: string) => (k === '' ? a.v : (a.d.get(k) ?? null));
  const d = new Map<string, T2 | null>();
  plan.keys.forEach((key) => {
    let acc: T2 | null = null;
    for (const term of plan.faa.get(key)!) {
      let prod: T2 | null = series[term.order];
      for (const f of term.factors) {
        const g = comp(derivativeKey(f));
        if (g === null) {
          prod = null;
          break;
        }
        prod = tf.mul(prod!, g) as T2;
      }
      if (prod !== null) acc = plus(acc, times(term.count, prod));
    }
    d.set(key, acc);
  });
  return { v: series[0], d };
}

/** The jet algebra for a plan: every `NetOps` operation on jets. */
export function jetOps(plan: JetPlan): NetOps<Jet> {
  const sinCos = (v: T2, first: 'sin' | 'cos'): T2[] => {
    const s = tf.sin(v) as T2;
    const c = tf.cos(v) as T2;
    const cycle = first === 'sin' ? [s, c, tf.neg(s), tf.neg(c)] : [c, tf.neg(s), tf.neg(c), s];
    return Array.from({ length: plan.order + 1 }, (_, k) => cycle[k % 4] as T2);
  };
  return {
    matMul: (a, W) => ({ v: tf.matMul(a.v, W), d: mapComps(a, (t) => tf.matMul(t, W)) }),
    addBias: (a, b) => ({ v: tf.add(a.v, b) as T2, d: a.d }),
    activation: (a, name: ActivationName) =>
      name === 'identity' ? a : compose(a, getActivation(name).series(a.v, plan.order) as T2[], plan),
    cos: (a) => compose(a, sinCos(a.v, 'cos'), plan),
    sin: (a) => compose(a, sinCos(a.v, 'sin'), plan),
    add: (a, b) => ({
      v: tf.add(a.v, b.v) as T2,
      d: new Map(plan.keys.map((k) => [k, plus(a.d.get(k) ?? null, b.d.get(k) ?? null)])),
    }),
    sub: (a, b) => ({
      v: tf.sub(a.v, b.v) as T2,
      d: new Map(
        plan.keys.map((k) => {
          const [x, y] = [a.d.get(k) ?? null, b.d.get(k) ?? null];
          return [k, y === null ? x : x === null ? (tf.neg(y) as T2) : (tf.sub(x, y) as T2)];
        }),
      ),
    }),
    mul: (a, b) => {
      const ca = (k: string) => (k === '' ? a.v : (a.d.get(k) ?? null));
      const cb = (k: string) => (k === '' ? b.v : (b.d.get(k) ?? null));
      const d = new Map<string, T2 | null>();
      plan.keys.forEach((key) => {
        let acc: T2 | null = null;
        for (const t of plan.leibniz.get(key)!) {
          const [x, y] = [ca(derivativeKey(t.left)), cb(derivativeKey(t.right))];
          if (x !== null && y !== null) acc = plus(acc, times(t.count, tf.mul(x, y) as T2));
        }
        d.set(key, acc);
      });
      return { v: tf.mul(a.v, b.v) as T2, d };
    },
    scale: (a, s) => ({ v: tf.mul(a.v, s) as T2, d: mapComps(a, (t) => tf.mul(t, s) as T2) }),
    scaleColumns: (a, s) => ({ v: tf.mul(a.v, s) as T2, d: mapComps(a, (t) => tf.mul(t, s) as T2) }),
    sliceColumns: (a, from, size) => ({
      v: tf.slice(a.v, [0, from], [-1, size]) as T2,
      d: mapComps(a, (t) => tf.slice(t, [0, from], [-1, size]) as T2),
    }),
    concatColumns: (parts) => {
      if (parts.length === 1) return parts[0];
      const n = parts[0].v.shape[0];
      const d = new Map<string, T2 | null>();
      plan.keys.forEach((k) => {
        const cs = parts.map((p) => p.d.get(k) ?? null);
        if (cs.every((c) => c === null)) return d.set(k, null);
        // Rows only when every part is a constant row; otherwise broadcast each to (N, w).
        const rows = cs.every((c) => c === null || c.shape[0] === 1) ? 1 : n;
        d.set(
          k,
          tf.concat(
            cs.map((c, i) => {
              const w = parts[i].v.shape[1];
              if (c === null) return tf.zeros([rows, w]) as T2;
              return c.shape[0] === rows ? c : (tf.broadcastTo(c, [rows, w]) as T2);
            }),
            1,
          ) as T2,
        );
      });
      return {
        v: tf.concat(
          parts.map((p) => p.v),
          1,
        ) as T2,
        d,
      };
    },
  };
}

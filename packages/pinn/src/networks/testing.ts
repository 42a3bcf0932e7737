/**
 * Test oracle for networks: the same generic forward pass evaluated in float64 plain
 * JavaScript (a `NetOps` over row-major Float64Array matrices; weights read from the
 * tensors), and central finite differences of any order up to four. An independent path
 * to check the jet and nested engines against: no tfjs op, no autodiff.
 */
import { tf, type ActivationName, type Network, type NetOps } from '@aml/core';
import { ACT64 } from '../testing/mlp64';

/** A row-major float64 matrix (rows, cols). */
export interface Mat64 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

const mat = (rows: number, cols: number, data = new Float64Array(rows * cols)): Mat64 => ({ rows, cols, data });
const map = (a: Mat64, f: (v: number, r: number, c: number) => number): Mat64 =>
  mat(
    a.rows,
    a.cols,
    a.data.map((v, k) => f(v, Math.floor(k / a.cols), k % a.cols)),
  );
const zip = (a: Mat64, b: Mat64, f: (x: number, y: number) => number): Mat64 =>
  map(a, (v, _r, k) => f(v, b.data[_r * b.cols + k]));
const vec = (t: tf.Tensor | number): Float64Array =>
  typeof t === 'number' ? Float64Array.of(t) : Float64Array.from(t.dataSync());

/** `NetOps` in float64 on the CPU (slow; for a few points in tests). */
export const float64Ops: NetOps<Mat64> = {
  matMul(a, W) {
    const [i, o] = W.shape;
    const w = vec(W);
    const out = mat(a.rows, o);
    for (let r = 0; r < a.rows; r++) {
      for (let k = 0; k < i; k++) {
        const x = a.data[r * i + k];
        for (let c = 0; c < o; c++) out.data[r * o + c] += x * w[k * o + c];
      }
    }
    return out;
  },
  addBias: (a, b) => {
    const v = vec(b);
    return map(a, (x, _r, c) => x + v[c]);
  },
  activation: (a, name: ActivationName) => map(a, ACT64[name]),
  cos: (a) => map(a, Math.cos),
  sin: (a) => map(a, Math.sin),
  add: (a, b) => zip(a, b, (x, y) => x + y),
  sub: (a, b) => zip(a, b, (x, y) => x - y),
  mul: (a, b) => zip(a, b, (x, y) => x * y),
  scale: (a, s) => {
    const v = vec(s)[0];
    return map(a, (x) => x * v);
  },
  scaleColumns: (a, s) => {
    const v = vec(s);
    return map(a, (x, _r, c) => x * v[c]);
  },
  sliceColumns(a, from, size) {
    const out = mat(a.rows, size);
    for (let r = 0; r < a.rows; r++)
      for (let c = 0; c < size; c++) out.data[r * size + c] = a.data[r * a.cols + from + c];
    return out;
  },
  concatColumns(parts) {
    const cols = parts.reduce((s, p) => s + p.cols, 0);
    const out = mat(parts[0].rows, cols);
    let off = 0;
    for (const p of parts) {
      for (let r = 0; r < p.rows; r++)
        for (let c = 0; c < p.cols; c++) out.data[r * cols + off + c] = p.data[r * p.cols + c];
      off += p.cols;
    }
    return out;
  },
};

/** The network at one point in float64: (d) -> (m). Weight-side tensor ops run inside a tidy. */
export function forward64(net: Network, x: readonly number[]): number[] {
  if (!net.forward) throw new Error(`forward64: network '${net.kind}' has no generic forward`);
  return tf.tidy(() => Array.from(net.forward!(float64Ops, mat(1, x.length, Float64Array.from(x))).data));
}

// Central difference stencils for a k-th derivative in one variable: [offset, coefficient * h^k].
const STENCILS: Record<number, [number, number][]> = {
  1: [
    [-1, -0.5],
    [1, 0.5],
  ],
  2: [
    [-1, 1],
    [0, -2],
    [1, 1],
  ],
  3: [
    [-2, -0.5],
    [-1, 1],
    [1, -1],
    [2, 0.5],
  ],
  4: [
    [-2, 1],
    [-1, -4],
    [0, 6],
    [1, -4],
    [2, 1],
  ],
};

/**
 * Central finite difference of f at x for a sorted multi-index (e.g. [0, 0, 1]): the tensor
 * product of one-variable stencils, Richardson-extrapolated from h and h/2 (error O(h^4)).
 * Use `fdStep(order)` in float64 (rounding ~1e-16 / h^order stays below 1e-6).
 */
export function fdMulti(
  f: (x: number[]) => number[],
  x: readonly number[],
  index: readonly number[],
  h: number,
): number[] {
  if (index.length === 0) return f(x.slice());
  const a = fdPlain(f, x, index, h);
  const b = fdPlain(f, x, index, h / 2);
  return b.map((v, j) => (4 * v - a[j]) / 3);
}

function fdPlain(f: (x: number[]) => number[], x: readonly number[], index: readonly number[], h: number): number[] {
  const counts = new Map<number, number>();
  for (const i of index) counts.set(i, (counts.get(i) ?? 0) + 1);
  let terms: [number[], number][] = [[x.slice(), 1]];
  for (const [i, k] of counts) {
    terms = terms.flatMap(([p, c]) =>
      STENCILS[k].map(([o, w]) => {
        const q = p.slice();
        q[i] += o * h;
        return [q, (c * w) / h ** k] as [number[], number];
      }),
    );
  }
  let acc: number[] | null = null;
  for (const [p, c] of terms) {
    const y = f(p);
    acc = acc ? acc.map((a, j) => a + c * y[j]) : y.map((v) => c * v);
  }
  return acc!;
}

/** A step size suited to a derivative order in float64 central differences. */
export const fdStep = (order: number): number => [0, 1e-4, 2e-3, 1e-2, 1e-2][order];

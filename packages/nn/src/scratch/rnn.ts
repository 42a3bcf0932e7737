/**
 * From-scratch simple RNN with backpropagation through time (the course's weeks 5-7).
 *
 *   h_t = tanh(x_t U + h_{t-1} W + b),   y_t = h_t V + c,   h_0 = 0
 *   C = 1/(T B m) sum_t ||y_t - target_t||^2        (mean over steps, batch and outputs)
 * BPTT, from t = T down to 1, with dh_{T+1} contribution 0:
 *   dy_t = 2 (y_t - target_t) / (T B m)
 *   dV += h_t^T dy_t,  dc += sum dy_t
 *   dh_t = dy_t V^T + da_{t+1} W^T,   da_t = dh_t * (1 - h_t^2)
 *   dU += x_t^T da_t,  dW += h_{t-1}^T da_t,  db += sum da_t
 */
import type { Rng } from '@aml/core';
import { type Mat, mat, matmul, map, zip, addRow, sumRows } from './matrix';

/** Parameters: U (in, hidden), W (hidden, hidden), b (hidden), V (hidden, out), c (out). */
export interface ScratchRnn {
  U: Mat;
  W: Mat;
  b: Float64Array;
  V: Mat;
  c: Float64Array;
}

/** New RNN with N(0, 1/fanIn) weights and zero biases. */
export function scratchRnn(nIn: number, nHidden: number, nOut: number, rng: Rng): ScratchRnn {
  const r = (rows: number, cols: number) => {
    const M = mat(rows, cols);
    for (let i = 0; i < M.data.length; i++) M.data[i] = rng.normal() / Math.sqrt(rows);
    return M;
  };
  return {
    U: r(nIn, nHidden),
    W: r(nHidden, nHidden),
    b: new Float64Array(nHidden),
    V: r(nHidden, nOut),
    c: new Float64Array(nOut),
  };
}

/** Forward over a sequence xs[t] (B, in); returns hidden states hs[0..T] (hs[0] = 0) and outputs ys[t] (B, out). */
export function scratchRnnForward(p: ScratchRnn, xs: readonly Mat[]): { hs: Mat[]; ys: Mat[] } {
  const B = xs[0].rows;
  const hs: Mat[] = [mat(B, p.W.rows)];
  const ys: Mat[] = [];
  for (const x of xs) {
    if (x.cols !== p.U.rows || x.rows !== B)
      throw new Error(`scratchRnn: expected every step of shape (${B}, ${p.U.rows}), got (${x.rows}, ${x.cols})`);
    const h = map(
      addRow(
        zip(matmul(x, p.U), matmul(hs[hs.length - 1], p.W), (a, b) => a + b),
        p.b,
      ),
      Math.tanh,
    );
    hs.push(h);
    ys.push(addRow(matmul(h, p.V), p.c));
  }
  return { hs, ys };
}

/** Cost C (see the file comment). */
export function scratchRnnCost(p: ScratchRnn, xs: readonly Mat[], targets: readonly Mat[]): number {
  const { ys } = scratchRnnForward(p, xs);
  const n = ys.length * ys[0].data.length;
  return ys.reduce((s, y, t) => s + y.data.reduce((u, v, i) => u + (v - targets[t].data[i]) ** 2, 0), 0) / n;
}

/** Gradients of `scratchRnnCost` by backpropagation through time. */
export function scratchRnnBptt(p: ScratchRnn, xs: readonly Mat[], targets: readonly Mat[]) {
  const { hs, ys } = scratchRnnForward(p, xs);
  const T = xs.length;
  const n = T * ys[0].data.length;
  const g = {
    U: mat(p.U.rows, p.U.cols),
    W: mat(p.W.rows, p.W.cols),
    b: new Float64Array(p.b.length),
    V: mat(p.V.rows, p.V.cols),
    c: new Float64Array(p.c.length),
  };
  const acc = (A: Mat, B: Mat) => B.data.forEach((v, i) => (A.data[i] += v));
  let daNext: Mat | null = null;
  for (let t = T; t >= 1; t--) {
    const dy = zip(ys[t - 1], targets[t - 1], (y, tt) => (2 * (y - tt)) / n);
    acc(g.V, matmul(hs[t], dy, true, false));
    sumRows(dy).forEach((v, i) => (g.c[i] += v));
    let dh = matmul(dy, p.V, false, true);
    if (daNext) dh = zip(dh, matmul(daNext, p.W, false, true), (a, b) => a + b);
    const da = zip(dh, hs[t], (d, h) => d * (1 - h * h));
    acc(g.U, matmul(xs[t - 1], da, true, false));
    acc(g.W, matmul(hs[t - 1], da, true, false));
    sumRows(da).forEach((v, i) => (g.b[i] += v));
    daNext = da;
  }
  return g;
}

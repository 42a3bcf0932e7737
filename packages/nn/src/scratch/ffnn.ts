/**
 * A feed-forward network in plain TypeScript with hand-written backpropagation (the course's
 * week-2 "own code"), for teaching and as an oracle. Rows are samples.
 *
 * Forward, layer l = 1..L:   z^l = a^{l-1} W^l + b^l,   a^l = f(z^l),   a^0 = X
 * Backward:
 *   delta^L = f'(z^L) * dC/da^L          (softmax output with cross-entropy: delta^L = (a^L - t)/n)
 *   delta^l = (delta^{l+1} (W^{l+1})^T) * f'(z^l)
 *   dC/dW^l = (a^{l-1})^T delta^l + lambda W^l,    dC/db^l = sum over rows of delta^l
 */
import type { Rng } from '@aml/core';
import { type Mat, mat, matmul, map, zip, addRow, sumRows, takeRows } from './matrix';
import { SCRATCH_ACTIVATIONS, softmaxRows } from './activations';
import { type ScratchCost, costMse, costBce, costCe } from './costs';
import type { SchedulerFactory, Scheduler } from './schedulers';

/** Configuration of the from-scratch network. */
export interface ScratchFfnnConfig {
  /** Layer widths including input and output, e.g. [64, 100, 30, 10]. */
  readonly sizes: readonly number[];
  /** Hidden activation: identity, sigmoid, tanh, relu or leakyRelu. */
  readonly hidden: string;
  /** Output activation: one of the hidden ones, or 'softmax' (then the cost must be 'ce'). */
  readonly output: string;
  /** Cost: 'mse', 'bce' or 'ce'. */
  readonly cost: 'mse' | 'bce' | 'ce';
}

/** One layer's parameters: W (in, out), b (out). */
export interface ScratchDense {
  W: Mat;
  b: Float64Array;
}

/** The network: its config and layers (plain data, mutated in place by `scratchFit`). */
export interface ScratchFfnn {
  readonly config: ScratchFfnnConfig;
  readonly layers: ScratchDense[];
}

const COSTS: Record<string, ScratchCost> = { mse: costMse, bce: costBce, ce: costCe };

function act(name: string) {
  const a = SCRATCH_ACTIVATIONS[name];
  if (!a)
    throw new Error(
      `scratchFfnn: unknown activation '${name}'; use one of ${Object.keys(SCRATCH_ACTIVATIONS).join(', ')} (or softmax as output)`,
    );
  return a;
}

/** New network; weights ~ N(0, 1) scaled by 1/sqrt(fanIn), biases 0.01 N(0, 1) as in the course. */
export function scratchFfnn(config: ScratchFfnnConfig, rng: Rng): ScratchFfnn {
  act(config.hidden);
  if (config.output === 'softmax') {
    if (config.cost !== 'ce') throw new Error(`scratchFfnn: a softmax output needs cost 'ce', got '${config.cost}'`);
  } else act(config.output);
  if (!COSTS[config.cost]) throw new Error(`scratchFfnn: unknown cost '${config.cost}'; use mse, bce or ce`);
  const layers: ScratchDense[] = [];
  for (let l = 0; l + 1 < config.sizes.length; l++) {
    const [i, o] = [config.sizes[l], config.sizes[l + 1]];
    const W = mat(i, o);
    for (let k = 0; k < W.data.length; k++) W.data[k] = rng.normal() / Math.sqrt(i);
    layers.push({ W, b: Float64Array.from({ length: o }, () => 0.01 * rng.normal()) });
  }
  return { config, layers };
}

/** Forward pass keeping z^l and a^l (as[0] = X). X (n, sizes[0]). */
export function scratchForward(net: ScratchFfnn, X: Mat): { zs: Mat[]; as: Mat[] } {
  if (X.cols !== net.config.sizes[0])
    throw new Error(`scratchFfnn: expected input of shape (n, ${net.config.sizes[0]}), got (${X.rows}, ${X.cols})`);
  const zs: Mat[] = [];
  const as: Mat[] = [X];
  net.layers.forEach((L, l) => {
    const z = addRow(matmul(as[l], L.W), L.b);
    zs.push(z);
    const last = l === net.layers.length - 1;
    const name = last ? net.config.output : net.config.hidden;
    as.push(name === 'softmax' ? mat(z.rows, z.cols, softmaxRows(z.data, z.rows, z.cols)) : map(z, act(name).f));
  });
  return { zs, as };
}

/** Network output a^L, (n, sizes[last]). */
export function scratchPredict(net: ScratchFfnn, X: Mat): Mat {
  const { as } = scratchForward(net, X);
  return as[as.length - 1];
}

/** Cost C(a^L(X), T) plus lambda/2 sum ||W||^2 (the L2 term whose gradient is lambda W). */
export function scratchCost(net: ScratchFfnn, X: Mat, T: Mat, lambda = 0): number {
  const a = scratchPredict(net, X);
  const reg = net.layers.reduce((s, L) => s + L.W.data.reduce((t, w) => t + w * w, 0), 0);
  return COSTS[net.config.cost].value(a.data, T.data, X.rows) + 0.5 * lambda * reg;
}

/** Gradients of `scratchCost` by backpropagation: dW[l] (in, out), db[l] (out). */
export function scratchBackprop(net: ScratchFfnn, X: Mat, T: Mat, lambda = 0): { dW: Mat[]; db: Float64Array[] } {
  const { zs, as } = scratchForward(net, X);
  const L = net.layers.length;
  const aL = as[L];
  const n = X.rows;
  let delta: Mat;
  if (net.config.output === 'softmax') {
    delta = zip(aL, T, (a, t) => (a - t) / n);
  } else {
    const dCda = COSTS[net.config.cost].grad(aL.data, T.data, n);
    const f = act(net.config.output);
    delta = map(zs[L - 1], (z, i) => f.df(z) * dCda[i]);
  }
  const dW: Mat[] = new Array(L);
  const db: Float64Array[] = new Array(L);
  const fh = act(net.config.hidden);
  for (let l = L - 1; l >= 0; l--) {
    dW[l] = zip(matmul(as[l], delta, true, false), net.layers[l].W, (g, w) => g + lambda * w);
    db[l] = sumRows(delta);
    if (l > 0) delta = zip(matmul(delta, net.layers[l].W, false, true), zs[l - 1], (d, z) => d * fh.df(z));
  }
  return { dW, db };
}

/** Options of `scratchFit`. */
export interface ScratchFitOptions {
  /** Update rule factory; every W and b gets its own copy. */
  readonly scheduler: SchedulerFactory;
  /** Passes over the data. */
  readonly epochs: number;
  /** Number of mini-batches per epoch (the course's `batches`; 1 = full batch). */
  readonly batches?: number;
  /** L2 strength (gradient term lambda W). */
  readonly lambda?: number;
  /** Shuffles the rows each epoch. */
  readonly rng: Rng;
}

/** Train in place; returns the cost after each epoch. */
export function scratchFit(net: ScratchFfnn, X: Mat, T: Mat, o: ScratchFitOptions): number[] {
  const sched: { W: Scheduler; b: Scheduler }[] = net.layers.map(() => ({ W: o.scheduler(), b: o.scheduler() }));
  const batches = o.batches ?? 1;
  const size = Math.ceil(X.rows / batches);
  const hist: number[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const perm = o.rng.permutation(X.rows);
    for (let k = 0; k < batches; k++) {
      const idx = perm.subarray(k * size, Math.min((k + 1) * size, X.rows));
      if (idx.length === 0) continue;
      const { dW, db } = scratchBackprop(net, takeRows(X, idx), takeRows(T, idx), o.lambda ?? 0);
      net.layers.forEach((L, l) => {
        const cw = sched[l].W.updateChange(dW[l].data);
        const cb = sched[l].b.updateChange(db[l]);
        for (let i = 0; i < cw.length; i++) L.W.data[i] -= cw[i];
        for (let i = 0; i < cb.length; i++) L.b[i] -= cb[i];
      });
    }
    for (const s of sched) {
      s.W.reset();
      s.b.reset();
    }
    hist.push(scratchCost(net, X, T, o.lambda ?? 0));
  }
  return hist;
}

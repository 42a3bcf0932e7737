/**
 * Recurrent cells. Each cell maps (x_t, state_{t-1}) -> state_t for a batch; the input projection
 * x_t W_x for all steps is computed in one matMul by the layer (recurrent.ts), so a cell's step
 * receives it precomputed.
 *
 *   RNN (Elman):   h_t = tanh(x_t W_x + h_{t-1} W_h + b)
 *   LSTM (Hochreiter & Schmidhuber 1997):
 *     [i, f, g, o] = x_t W_x + h_{t-1} W_h + b,  c_t = s(f) c_{t-1} + s(i) tanh(g),  h_t = s(o) tanh(c_t)
 *   GRU (Cho et al. 2014, PyTorch's convention):
 *     r = s(x W_xr + b_xr + h W_hr + b_hr),  z = s(x W_xz + b_xz + h W_hz + b_hz)
 *     n = tanh(x W_xn + b_xn + r (h W_hn + b_hn)),  h_t = (1 - z) n + z h_{t-1}
 */
import { tf, type Rng } from '@aml/core';
import { initVariable, constVariable, toVariable } from '../layers/init';

/** Kinds of cell. */
export const CELL_KINDS = ['rnn', 'lstm', 'gru'] as const;
/** One of `CELL_KINDS`. */
export type CellKind = (typeof CELL_KINDS)[number];

/** A recurrent cell with explicit parameters. */
export interface Cell {
  readonly kind: CellKind;
  /** Input features. */
  readonly inputSize: number;
  /** Hidden units H. */
  readonly hidden: number;
  /** W_x (in, G H), W_h (H, G H), biases; G = 1, 4, 3 for rnn, lstm, gru. */
  readonly params: readonly tf.Variable[];
  /** The kernels W_x, W_h (for weight penalties). */
  readonly kernels: readonly tf.Variable[];
  /** Input projection for every step: (B*T, in) -> (B*T, G H). */
  project(x: tf.Tensor2D): tf.Tensor2D;
  /** Zero state for a batch: [h] or [h, c], each (B, H). */
  initialState(batch: number): tf.Tensor2D[];
  /** One step: projected input (B, G H), state -> new state; the first entry is h_t (B, H). */
  step(xProj: tf.Tensor2D, state: tf.Tensor2D[]): tf.Tensor2D[];
}

const GATES: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

/**
 * A cell of the given kind. Glorot kernels; LSTM forget-gate bias 1 (Jozefowicz et al. 2015) so
 * memory is kept early in training.
 */
export function cell(kind: CellKind, inputSize: number, hidden: number, rng: Rng): Cell {
  if (!CELL_KINDS.includes(kind)) throw new Error(`cell: unknown kind '${kind}'; use one of ${CELL_KINDS.join(', ')}`);
  const G = GATES[kind];
  const H = hidden;
  const Wx = initVariable('glorotUniform', [inputSize, G * H], rng);
  const Wh = initVariable('glorotUniform', [H, G * H], rng);
  const bias = new Float32Array(G * H);
  if (kind === 'lstm') bias.fill(1, H, 2 * H);
  const b = toVariable(tf.tensor1d(bias));
  // GRU keeps a separate hidden bias because r multiplies (h W_hn + b_hn).
  const bh = kind === 'gru' ? constVariable([G * H], 0) : null;
  const params = bh ? [Wx, Wh, b, bh] : [Wx, Wh, b];
  const zeros = (B: number) => tf.zeros([B, H]) as tf.Tensor2D;
  const base = {
    kind,
    inputSize,
    hidden,
    params,
    kernels: [Wx, Wh],
    project: (x: tf.Tensor2D) => tf.add(tf.matMul(x, Wx), b) as tf.Tensor2D,
  };
  if (kind === 'rnn') {
    return {
      ...base,
      initialState: (B) => [zeros(B)],
      step: (xp, [h]) => [tf.tanh(tf.add(xp, tf.matMul(h, Wh))) as tf.Tensor2D],
    };
  }
  if (kind === 'lstm') {
    return {
      ...base,
      initialState: (B) => [zeros(B), zeros(B)],
      step(xp, [h, c]) {
        const z = tf.add(xp, tf.matMul(h, Wh));
        const [i, f, g, o] = tf.split(z, 4, 1);
        const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
        return [tf.mul(tf.sigmoid(o), tf.tanh(c2)) as tf.Tensor2D, c2];
      },
    };
  }
  return {
    ...base,
    initialState: (B) => [zeros(B)],
    step(xp, [h]) {
      const hp = tf.add(tf.matMul(h, Wh), bh!);
      const [xr, xz, xn] = tf.split(xp, 3, 1);
      const [hr, hz, hn] = tf.split(hp, 3, 1);
      const r = tf.sigmoid(tf.add(xr, hr));
      const z = tf.sigmoid(tf.add(xz, hz));
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      return [tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D];
    },
  };
}

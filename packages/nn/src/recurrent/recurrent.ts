/**
 * Recurrent layers over batch-first sequences (B, T, features), stacking, and a sequence
 * regressor (stacked cells + dense head on the last hidden state) for forecasting.
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, checkShape, positiveInt, collect } from '../layers/layer';
import { dense } from '../layers/dense';
import { type Cell, type CellKind, cell } from './cells';

/** Configuration of a (possibly stacked) recurrent layer. */
export interface RecurrentConfig {
  /** 'rnn', 'lstm' or 'gru'. */
  readonly cell: CellKind;
  /** Input features per step. */
  readonly inputSize: number;
  /** Hidden units per layer. */
  readonly hidden: number;
  /** Stacked layers (default 1); layer k > 0 reads layer k-1's hidden sequence. */
  readonly layers?: number;
  /** Return every step's top hidden state (B, T, H) instead of the last one (B, H) (default false). */
  readonly returnSequences?: boolean;
  /** If set, inputs must have exactly this many steps. */
  readonly seqLen?: number;
  /** Name for error messages. */
  readonly name?: string;
}

/** A recurrent layer: the cells, bottom first. */
export interface Recurrent extends Layer {
  readonly cells: readonly Cell[];
}

/** Run one cell over a sequence: (B, T, in) -> hidden states, T tensors of (B, H). */
function runCell(c: Cell, x: tf.Tensor): tf.Tensor2D[] {
  const [B, T, F] = x.shape as [number, number, number];
  // (B, T, F) -> (B*T, F) -> (B*T, G H) -> (B, T, G H) -> T x (B, G H)
  const proj = c.project(x.reshape([B * T, F]) as tf.Tensor2D).reshape([B, T, -1]);
  const steps = tf.unstack(proj, 1) as tf.Tensor2D[];
  let state = c.initialState(B);
  const hs: tf.Tensor2D[] = [];
  for (const xp of steps) {
    state = c.step(xp, state);
    hs.push(state[0]);
  }
  return hs;
}

/**
 * Stacked recurrent layer. Input (B, T, inputSize) -> (B, H), or (B, T, H) with returnSequences.
 *
 * @example
 *   const lstm = recurrent({ cell: 'lstm', inputSize: 1, hidden: 32, layers: 2 }, new Rng(0));
 *   lstm.apply(tf.zeros([8, 50, 1])).shape // [8, 32]
 */
export function recurrent(config: RecurrentConfig, rng: Rng): Recurrent {
  const name = `${config.cell} '${config.name ?? config.cell}'`;
  const inp = positiveInt(name, 'inputSize', config.inputSize);
  const H = positiveInt(name, 'hidden', config.hidden);
  const L = positiveInt(name, 'layers', config.layers ?? 1);
  const cells = Array.from({ length: L }, (_, k) => cell(config.cell, k === 0 ? inp : H, H, rng));
  return {
    name,
    cells,
    params: cells.flatMap((c) => c.params),
    kernels: cells.flatMap((c) => c.kernels),
    state: [],
    apply(x) {
      checkShape(name, x, [null, config.seqLen ?? null, inp], 'input (B, T, features)');
      return tf.tidy(() => {
        let seq: tf.Tensor = x;
        let hs: tf.Tensor2D[] = [];
        for (const c of cells) {
          hs = runCell(c, seq);
          seq = tf.stack(hs, 1); // (B, T, H)
        }
        return config.returnSequences ? seq : hs[hs.length - 1];
      });
    },
  };
}

/** Configuration of a sequence regressor (many-to-one forecaster). */
export interface SequenceRegressorConfig extends Omit<RecurrentConfig, 'returnSequences'> {
  /** Outputs per sequence (e.g. the next value's features). */
  readonly outputSize: number;
}

/**
 * Stacked recurrent layers and a dense head on the last hidden state:
 * (B, T, inputSize) -> (B, outputSize). The course's RNN/LSTM/GRU forecaster.
 */
export function sequenceRegressor(config: SequenceRegressorConfig, rng: Rng): Layer {
  const rec = recurrent({ ...config, returnSequences: false }, rng);
  const head = dense(
    { inputSize: config.hidden, units: config.outputSize, name: `${config.name ?? config.cell}.head` },
    rng,
  );
  return {
    name: rec.name,
    ...collect([rec, head]),
    apply: (x, o) => tf.tidy(() => head.apply(rec.apply(x, o))),
  };
}

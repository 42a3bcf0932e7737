/**
 * The training loop used by every package: a model supplies its variables and a loss
 * (or its own step); the trainer owns the optimizer call, callbacks and the history.
 */
import { tf } from '../tf';
import type { Optimizer } from '../optim/optimizer';
import { Rng } from '../random/rng';
import type { Callback } from './callback';
import { optimizerStep } from './step';
import type { CustomStep, History, LossFn, StepContext, StepResult } from './types';

/** Configuration of one training run. */
export interface TrainConfig {
  /** Trainable variables, as a list or by name (names are used by checkpoints). */
  readonly params: readonly tf.Variable[] | Readonly<Record<string, tf.Variable>>;
  /** Update rule; required unless `customStep` is given. */
  readonly optimizer?: Optimizer;
  /** Loss of the parameters for one step; exactly one of `loss` and `customStep`. */
  readonly loss?: LossFn;
  /** A model's own update (GAN, RBM, L-BFGS phases) instead of `optimizer` + `loss`. */
  readonly customStep?: CustomStep;
  /** Number of (global) steps to run. */
  readonly steps: number;
  /** Generator handed to the loss as `ctx.rng` (default: new Rng(0)). */
  readonly rng?: Rng;
  /** Hooks called after each step / epoch / at the end. */
  readonly callbacks?: readonly Callback[];
}

/** The variables of `params` as a list, in a fixed order. */
export function paramList(params: TrainConfig['params']): tf.Variable[] {
  return Array.isArray(params) ? [...params] : Object.values(params as Record<string, tf.Variable>);
}

function toResult(r: number | StepResult): StepResult {
  return typeof r === 'number' ? { loss: r } : r;
}

/**
 * Train for `steps` steps and return the loss history.
 *
 * @example
 *   const w = tf.variable(tf.zeros([3, 1]));
 *   const history = await train({
 *     params: [w], optimizer: adam({ learningRate: 1e-2 }), steps: 500,
 *     loss: () => tf.losses.meanSquaredError(y, x.matMul(w)),   // x (N, 3), y (N, 1)
 *   });
 *   history.loss.at(-1);
 */
export async function train(config: TrainConfig): Promise<History> {
  const { optimizer, loss, customStep } = config;
  if ((loss == null) === (customStep == null)) throw new Error('train: give exactly one of loss and customStep');
  if (loss && !optimizer) throw new Error('train: optimizer is required with loss (or give customStep)');
  if (!Number.isInteger(config.steps) || config.steps < 0) {
    throw new Error(`train: steps must be an integer >= 0, got ${config.steps}`);
  }
  const vars = paramList(config.params);
  const rng = config.rng ?? new Rng(0);
  const callbacks = config.callbacks ?? [];
  const history: History = { loss: [], terms: {}, learningRate: [], epochLoss: [], startStep: 0, steps: 0, stopReason: 'completed' };
  let stopReason: string | null = null;
  const stop = (reason: string) => (stopReason ??= reason);

  for (let step = 0; step < config.steps && stopReason === null; step++) {
    const ctx: StepContext = { step, epoch: 0, rng };
    const lr = optimizer?.learningRate ?? NaN;
    const r = customStep ? toResult(customStep(ctx)) : optimizerStep(optimizer!, loss!, ctx, vars);
    record(history, r, lr);
    history.steps = step + 1;
    const optimizerStop = customStep ? null : optimizer!.stopRequest?.();
    if (optimizerStop) stop(optimizerStop);
    for (const cb of callbacks) {
      await cb.onStepEnd?.({
        step, epoch: 0, totalSteps: config.steps, loss: r.loss, terms: r.terms ?? {}, learningRate: lr, history, stop,
      });
    }
  }
  history.stopReason = stopReason ?? 'completed';
  for (const cb of callbacks) await cb.onTrainEnd?.(history);
  return history;
}

/** Append one step's values to the history (terms first seen later are NaN-padded). */
export function record(history: History, r: StepResult, lr: number): void {
  const n = history.loss.length;
  history.loss.push(r.loss);
  history.learningRate.push(lr);
  for (const [k, v] of Object.entries(r.terms ?? {})) {
    (history.terms[k] ??= new Array<number>(n).fill(NaN)).push(v);
  }
  for (const k of Object.keys(history.terms)) if (history.terms[k].length === n) history.terms[k].push(NaN);
}

/**
 * Early stopping: stop when the monitored loss has not improved by more than `minDelta`
 * for `patience` epochs (or steps), optionally putting the best weights back.
 */
import { tf } from '../../tf';
import type { Callback } from '../callback';

/** Early-stopping settings. */
export interface EarlyStoppingConfig {
  /** Epochs (or steps, for monitor 'step') without improvement before stopping. */
  readonly patience: number;
  /** An improvement must lower the loss by more than this (default 0). */
  readonly minDelta?: number;
  /** 'epoch': mean loss of each epoch (epoch training); 'step': each step's loss (default 'epoch'). */
  readonly monitor?: 'epoch' | 'step';
  /** At the end, restore the weights from the end of the best epoch/step (default false). */
  readonly restoreBest?: boolean;
  /**
   * What to watch instead of the training loss, measured at each epoch (or step) end, lower is better:
   * e.g. the validation loss `() => valLoss()`. Default: the epoch mean (or step) training loss.
   */
  readonly value?: () => number;
  /** Name of the watched value in the stop reason (default 'loss', or 'value' with `value`). */
  readonly name?: string;
}

/**
 * @example
 *   await train({ ..., epochs: 200, callbacks: [earlyStopping({ patience: 10, restoreBest: true })] });
 *   // on a validation set: x (M, d), y (M, 1)
 *   earlyStopping({ patience: 5, name: 'val loss', value: () => tf.tidy(() => mseOf(model(xVal), yVal).dataSync()[0]) });
 */
export function earlyStopping(config: EarlyStoppingConfig): Callback {
  const { patience, minDelta = 0, monitor = 'epoch', restoreBest = false, value } = config;
  const label = config.name ?? (value ? 'value' : 'loss');
  if (!(Number.isInteger(patience) && patience > 0))
    throw new Error(`earlyStopping: patience must be an integer > 0, got ${patience}`);
  if (!(minDelta >= 0)) throw new Error(`earlyStopping: minDelta must be >= 0, got ${minDelta}`);
  const unit = monitor === 'epoch' ? 'epochs' : 'steps';
  let best = Infinity,
    bestAt = -1,
    wait = 0;
  let kept: tf.Tensor[] | null = null;
  const see = (loss: number, at: number, vars: readonly tf.Variable[], stop: (r: string) => void) => {
    const x = value ? value() : loss;
    if (!Number.isFinite(x))
      throw new Error(`earlyStopping: the watched ${label} is ${x} at ${unit.slice(0, -1)} ${at}`);
    if (x < best - minDelta) {
      best = x;
      bestAt = at;
      wait = 0;
      if (restoreBest) {
        tf.dispose(kept ?? []);
        kept = vars.map((v) => tf.clone(v));
      }
    } else if (++wait >= patience) {
      stop(
        `early stopping: no improvement > ${minDelta} for ${patience} ${unit} (best ${label} ${best.toExponential(3)} at ${unit.slice(0, -1)} ${bestAt})`,
      );
    }
  };
  return {
    onStepEnd: (s) => {
      if (monitor === 'step')
        see(
          s.loss,
          s.step,
          s.run.params.map(([, v]) => v),
          s.stop,
        );
    },
    onEpochEnd: (e) => {
      if (monitor === 'epoch')
        see(
          e.meanLoss,
          e.epoch,
          e.run.params.map(([, v]) => v),
          e.stop,
        );
    },
    onTrainEnd: (_h, run) => {
      if (kept) {
        const k = kept;
        run.params.forEach(([, v], i) => v.assign(k[i]));
        tf.dispose(k);
        kept = null;
      }
    },
  };
}

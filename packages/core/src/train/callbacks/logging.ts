/**
 * Logging: one plain line per `every` steps with the loss, its terms and the learning rate,
 * to any writer (a results folder's log.txt via `appendLines` from `@aml/core/node`, or the console).
 */
import type { Callback } from '../callback';

/** Logging settings. */
export interface LoggingConfig {
  /** Write a line every this many steps (default 100); the last step is always written. */
  readonly every?: number;
  /** Where each line goes (e.g. `appendLines('results/heat/log.txt')`). */
  readonly write: (line: string) => void;
}

const e = (x: number) => (Number.isFinite(x) ? x.toExponential(4) : String(x));

/**
 * @example
 *   callbacks: [logging({ every: 50, write: appendLines('results/run/log.txt') })]
 *   // step 50 epoch 0 loss 1.2345e-3 lr 1.0000e-3 pde 1.1000e-3 bc 1.3450e-4
 */
export function logging(config: LoggingConfig): Callback {
  const every = config.every ?? 100;
  if (!(Number.isInteger(every) && every > 0)) throw new Error(`logging: every must be an integer > 0, got ${every}`);
  return {
    onStepEnd: (s) => {
      const done = s.step + 1;
      if (done % every !== 0 && done !== s.totalSteps) return;
      const terms = Object.entries(s.terms)
        .map(([k, v]) => ` ${k} ${e(v)}`)
        .join('');
      config.write(`step ${done} epoch ${s.epoch} loss ${e(s.loss)} lr ${e(s.learningRate)}${terms}`);
    },
    onEpochEnd: (ep) => config.write(`epoch ${ep.epoch} mean loss ${e(ep.meanLoss)}`),
    onTrainEnd: (h) => config.write(`end at step ${h.steps}: ${h.stopReason}`),
  };
}

/**
 * Progress lines for a training run: phase, step, loss and its named terms, learning rate, speed and
 * ETA, printed at most every `everySeconds` (and at the first and last step) through the run's log.
 *
 * Why not the trainer's own `progress` lines: they show the total loss only, and the solver does not
 * forward their writer; a PINN user needs the terms (which condition is not learned). This is a core
 * trainer `Callback`, so it plugs into any solver that takes callbacks, and it formats with core's
 * `formatLoss` / `formatDuration` so both kinds of line read alike.
 */
import { formatDuration, formatLoss, type Callback, type StepEndInfo } from '@aml/core';

/** Options of `progressCallback`. */
export interface ProgressOptions {
  /** Where lines go (the run's log). */
  readonly write: (line: string) => void;
  /** Phase label, e.g. 'adam' or 'lbfgs'. */
  readonly phase?: string;
  /** Minimum seconds between lines (default 5). */
  readonly everySeconds?: number;
  /** Clock in ms (tests pass a fake one). */
  readonly now?: () => number;
}

/** One progress line for a finished step, given the measured speed (steps per second; NaN if unknown). */
export function progressLine(info: StepEndInfo, rate: number, phase?: string): string {
  const done = info.step + 1;
  const total = info.totalSteps;
  const eta = rate > 0 ? (total - done) / rate : NaN;
  const terms = Object.entries(info.terms)
    .map(([k, v]) => `${k} ${formatLoss(v)}`)
    .join(', ');
  const lr = Number.isFinite(info.learningRate) ? ` lr ${formatLoss(info.learningRate)}` : '';
  const pct = total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : '';
  return (
    `${phase ? `${phase} ` : ''}step ${done}/${total}${pct} loss ${formatLoss(info.loss)}` +
    (terms ? ` [${terms}]` : '') +
    lr +
    (rate > 0 ? ` ${rate.toFixed(1)} steps/s ETA ${formatDuration(eta)}` : '')
  );
}

/** A callback printing progress lines; the clock starts at the first step's end. */
export function progressCallback(o: ProgressOptions): Callback {
  const now = o.now ?? Date.now;
  const every = (o.everySeconds ?? 5) * 1000;
  let start = -1;
  let startStep = 0;
  let last = -Infinity;
  return {
    onStepEnd(info) {
      const t = now();
      // Speed is measured from the first step's end, so its one-off warm-up cost does not skew the ETA.
      if (start < 0) [start, startStep] = [t, info.step];
      const isEdge = info.step === startStep || info.step + 1 === info.totalSteps;
      if (isEdge || t - last >= every) {
        last = t;
        const rate = t > start ? ((info.step - startStep) * 1000) / (t - start) : NaN;
        o.write(progressLine(info, rate, o.phase));
      }
    },
  };
}

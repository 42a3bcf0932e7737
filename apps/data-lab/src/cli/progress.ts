import { createProgress as trainerProgress } from '@aml/core';

/** Progress over all optimizer steps of a command (folds x models + final fit). */
export interface Progress {
  /** One step done, with its loss; now and then awaits a macrotask so a bar's timer can draw. */
  tick(loss: number): void | Promise<void>;
  stop(): void;
}

/**
 * @aml/core's trainer progress (a bar on a TTY, a line every ~5 % otherwise: CI, Slurm logs), spanning every
 * training run of the command instead of restarting per fold; `quiet` turns it off (tests).
 */
export function createProgress(total: number, quiet: boolean): Progress {
  if (quiet || total <= 0) return { tick() {}, stop() {} };
  const reporter = trainerProgress({ mode: 'auto', total, start: 0, showEpoch: false });
  let done = 0;
  let last = Date.now();
  return {
    tick(loss: number) {
      reporter.update(++done, 0, loss);
      if (Date.now() - last > 200) {
        last = Date.now();
        return new Promise<void>((r) => setImmediate(r));
      }
    },
    stop: () => reporter.stop(done >= total ? 'completed' : 'stopped early'),
  };
}

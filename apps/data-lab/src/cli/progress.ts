import { Presets, SingleBar } from 'cli-progress';

/** A progress bar over all optimizer steps of a command (folds x models + final fit). */
export interface Progress {
  /** One step done; awaits a macrotask now and then so the bar's timer can print in long synchronous loops. */
  tick(): void | Promise<void>;
  stop(): void;
}

/**
 * cli-progress bar on stderr. Without a TTY (CI, Slurm logs) it still prints, every few seconds
 * (`noTTYOutput`); `quiet` turns it off (tests).
 */
export function createProgress(total: number, label: string, quiet: boolean): Progress {
  if (quiet || total <= 0) return { tick() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} |{bar}| {value}/{total} steps | {duration_formatted} elapsed | eta {eta_formatted}`,
    noTTYOutput: true, notTTYSchedule: 5000, stream: process.stderr, etaBuffer: 200,
  }, Presets.shades_classic);
  bar.start(total, 0);
  let done = 0;
  let last = Date.now();
  return {
    tick() {
      bar.update(++done);
      if (Date.now() - last > 200) {
        last = Date.now();
        return new Promise<void>((r) => setImmediate(r));
      }
    },
    stop: () => bar.stop(),
  };
}

/**
 * Progress of a run: a cli-progress bar (step/epoch, loss, ETA) on a TTY, plain periodic lines
 * (`step 100/1000 loss 1.23e-3 eta 12s`) otherwise (CI logs, Slurm output files), or nothing.
 */
import { requireNode } from '../platform/node-entry';

/** How progress is shown: 'auto' picks 'bar' on a TTY and 'lines' otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Receives the trainer's progress. */
export interface ProgressReporter {
  /** After each step: global step just done (1-based count), its epoch and loss. */
  update(done: number, epoch: number, loss: number): void;
  /** Once at the end, with the stop reason. */
  stop(reason: string): void;
}

/** Seconds as a short duration: 12s, 3m05s, 1h02m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A loss as 1.23e-3. */
export const formatLoss = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : String(x));

/** Options of a progress reporter. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Global step to finish at. */
  readonly total: number;
  /** Global step the run starts from (resumed runs). */
  readonly start: number;
  /** Lines mode: print every this many steps (default: about 20 lines per run). */
  readonly every?: number;
  /** Show the epoch (epoch training). */
  readonly showEpoch: boolean;
  /** Where lines go (default: stderr, so stdout stays clean for data). */
  readonly write?: (line: string) => void;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/** Build the reporter for a run. */
export function createProgress(o: ProgressOptions): ProgressReporter {
  const mode = o.mode === 'auto' ? (stderrIsTerminal() ? 'bar' : 'lines') : o.mode;
  if (mode === 'none') return { update() {}, stop() {} };
  const now = o.now ?? Date.now;
  const t0 = now();
  const eta = (done: number) => ((now() - t0) / 1000 / Math.max(done - o.start, 1)) * (o.total - done);
  // The bar draws on a terminal, so it lives in the Node half (train/progress-bar.ts).
  if (mode === 'bar') return requireNode("progress: 'bar'").progressBar(o, eta);
  const write = o.write ?? defaultWrite;
  const every = o.every ?? Math.max(1, Math.round((o.total - o.start) / 20));
  let last = o.start;
  return {
    update(done, epoch, loss) {
      last = done;
      if ((done - o.start) % every !== 0 && done !== o.total) return;
      const ep = o.showEpoch ? ` epoch ${epoch}` : '';
      write(`step ${done}/${o.total}${ep} loss ${formatLoss(loss)} eta ${formatDuration(eta(done))}`);
    },
    stop(reason) {
      write(`stopped at step ${last}/${o.total}: ${reason} (${formatDuration((now() - t0) / 1000)})`);
    },
  };
}

/** True in Node when stderr is a terminal; false in a browser (no `process`). */
function stderrIsTerminal(): boolean {
  const proc = (globalThis as { process?: { stderr?: { isTTY?: boolean } } }).process;
  return proc?.stderr?.isTTY === true;
}

/** stderr in Node, the console in a browser. */
function defaultWrite(line: string): void {
  const proc = (globalThis as { process?: { stderr?: { write?: (s: string) => void } } }).process;
  if (typeof proc?.stderr?.write === 'function') proc.stderr.write(line + '\n');
  else console.log(line);
}

import { MultiBar } from 'cli-progress';
import { formatDuration, formatLoss } from '@aml/core';

/** Progress over all optimizer steps of a command (folds x models + final fit), and the lines logged meanwhile. */
export interface Progress {
  /** One step done, with its loss. */
  tick(loss: number): void;
  /** Show a log line: above the bar on a terminal (the bar is redrawn below it), as a plain line otherwise. */
  log(line: string): void;
  stop(): void;
}

/** Where progress goes: a bar on a terminal, plain lines (about 20 per run) otherwise, nothing when quiet. */
export interface ProgressOptions {
  readonly total: number;
  /** Steps already done (a resumed run). */
  readonly start?: number;
  readonly quiet: boolean;
  /** Output stream (default process.stderr). */
  readonly stream?: NodeJS.WriteStream;
}

/**
 * One progress display spanning every training run of a command instead of restarting per fold. On a
 * terminal it is a cli-progress bar whose `log` prints lines above the bar, so the two never overwrite each
 * other; without a terminal (CI, Slurm logs, pipes) it prints a step line every ~5 %; `quiet` turns it off.
 */
export function createProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  if (o.quiet) return { tick() {}, log() {}, stop() {} };
  const t0 = Date.now();
  const start = o.start ?? 0;
  let done = start;
  const eta = () => formatDuration(((Date.now() - t0) / 1000 / Math.max(done - start, 1)) * (o.total - done));
  if (stream.isTTY && o.total > 0) {
    const multi = new MultiBar({
      format: 'train |{bar}| {value}/{total} | loss {loss} | eta {etaText}',
      hideCursor: true,
      stream,
      clearOnComplete: false,
    });
    const bar = multi.create(o.total, start, { loss: '-', etaText: '?' });
    return {
      tick(loss) {
        bar.update(++done, { loss: formatLoss(loss), etaText: eta() });
      },
      log(line) {
        multi.log(line + '\n');
      },
      // cli-progress prints logged lines at its next redraw: draw once more so none logged just before the end is lost
      stop() {
        multi.update();
        multi.stop();
      },
    };
  }
  const every = Math.max(1, Math.round((o.total - start) / 20));
  return {
    tick(loss) {
      done++;
      if ((done - start) % every === 0 || done === o.total)
        stream.write(`step ${done}/${o.total} loss ${formatLoss(loss)} eta ${eta()}\n`);
    },
    log(line) {
      stream.write(line + '\n');
    },
    stop() {},
  };
}

/** Seconds as text with their unit: '0.42 s', '12.3 s', '2m05s'. */
export function formatSeconds(s: number): string {
  if (s < 1) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  return formatDuration(s);
}

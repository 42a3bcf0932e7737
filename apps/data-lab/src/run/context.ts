import * as path from 'node:path';
import { openRunLog, type RunLog, type SignalWatch, watchSignals } from '@aml/core/node';
import { createProgress, type Progress } from '../cli/progress';

/**
 * What a running command shares with its parts: the log (log.txt in the results folder, echoed to stderr
 * above the progress bar unless quiet), the progress display, and the step hook that also watches for
 * SIGINT/SIGTERM and lets the event loop breathe so signals and the bar's timer get their turn.
 * From construction to `close()` the first SIGINT/SIGTERM is noted (on stderr, above the bar, even when
 * quiet) and stops the run at the next step boundary with InterruptedError; a second one exits at once
 * (finished fits are already on disk: checkpoints are written as each fit ends).
 */
export class RunContext {
  private progress: Progress | null = null;
  private readonly file: RunLog;
  private lastYield = Date.now();

  private readonly signals: SignalWatch;

  constructor(
    dir: string,
    private readonly quiet: boolean,
    append: boolean,
  ) {
    this.file = openRunLog(path.join(dir, 'log.txt'), {
      append,
      echo: quiet ? null : (t) => this.echo(t),
    });
    this.signals = watchSignals({ name: 'data-lab', say: (t) => this.echo(t) });
  }

  /** A line on stderr, above the progress bar when one is drawn. */
  private echo(line: string): void {
    if (this.progress && !this.quiet) this.progress.log(line);
    else process.stderr.write(`${line}\n`);
  }

  /** Log a line (log.txt, and stderr unless quiet). */
  readonly log = (line: string): void => this.file.line(line);

  /** Start the progress display over `total` optimizer steps, `start` of them already done (a resumed run). */
  startProgress(total: number, start = 0): void {
    this.progress = createProgress({ total, start, quiet: this.quiet });
  }

  /** Called after each optimizer step: advance the bar, then `poll`. */
  readonly onStep = (loss: number): void | Promise<void> => {
    this.progress?.tick(loss);
    return this.poll();
  };

  /** Between iterations of any fit: stop at a signal (throws InterruptedError), yield now and then. */
  readonly poll = (): void | Promise<void> => {
    this.signals.throwIfStopped();
    if (Date.now() - this.lastYield > 100) {
      this.lastYield = Date.now();
      return new Promise<void>((r) => setImmediate(r));
    }
  };

  /** Between phases: stop here if a signal arrived. */
  checkpoint(): void {
    this.signals.throwIfStopped();
  }

  /** Stop the progress display (the log stays open). */
  stopProgress(): void {
    this.progress?.stop();
    this.progress = null;
  }

  private closed = false;

  /** Stop listening for signals, stop the display and close log.txt (once; later calls do nothing). */
  close(): void {
    this.signals.dispose();
    this.stopProgress();
    if (!this.closed) this.file.close();
    this.closed = true;
  }
}

/** The terminal progress bar (cli-progress on stderr); Node only, exported from `@aml/core/node`. */
import { SingleBar } from 'cli-progress';
import { formatDuration, formatLoss, type ProgressOptions, type ProgressReporter } from './progress';

/**
 * A cli-progress bar: step/total, epoch, loss and ETA, redrawn on stderr.
 * @param eta  seconds left after `done` steps
 */
export function progressBar(o: ProgressOptions, eta: (done: number) => number): ProgressReporter {
  const bar = new SingleBar({
    format: `train |{bar}| {value}/{total}${o.showEpoch ? ' | epoch {epoch}' : ''} | loss {loss} | eta {etaText}`,
    hideCursor: true,
    stream: process.stderr,
  });
  bar.start(o.total, o.start, { loss: '-', epoch: 0, etaText: '?' });
  return {
    update: (done, epoch, loss) =>
      bar.update(done, { loss: formatLoss(loss), epoch, etaText: formatDuration(eta(done)) }),
    stop: () => bar.stop(),
  };
}

/**
 * A progress bar with ETA for `pde-lab run` on a terminal (cli-progress), one bar per phase. The
 * progress lines still go to log.txt; other log lines print above the bar without breaking it.
 */
import { SingleBar } from 'cli-progress';
import { formatDuration, formatLoss, type Callback } from '@aml/core';
import { progressCallback } from './progress';

/** Progress shown on a terminal: a callback per phase, and the echo for other log lines. */
export interface ProgressSink {
  /** The callback of one phase; `logFile` receives the plain progress lines (for log.txt). */
  phase(name: string, logFile: (line: string) => void): Callback;
  /** Print a line above the bar (the run log's echo). */
  echo(line: string): void;
  /** Remove the bar (idempotent). */
  stop(): void;
}

/** A bar on `stream` (a TTY, normally process.stderr); `everySeconds` paces the lines kept in log.txt. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr, everySeconds = 5): ProgressSink {
  let bar: SingleBar | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    phase(name, logFile) {
      stop();
      const lines = progressCallback({ write: logFile, phase: name, everySeconds });
      let start = -1;
      let startStep = 0;
      return {
        onStepEnd(info) {
          void lines.onStepEnd?.(info);
          const t = Date.now();
          if (start < 0) [start, startStep] = [t, info.step];
          if (!bar) {
            bar = new SingleBar({
              stream,
              format: `${name} |{bar}| {percentage}% {value}/{total} loss {loss} ETA {remaining}`,
              barCompleteChar: '\u2588',
              barIncompleteChar: '\u2591',
              hideCursor: true,
              clearOnComplete: false,
              barsize: 30,
            });
            bar.start(info.totalSteps, info.step, { loss: '-', remaining: '-' });
          }
          const rate = t > start ? (info.step - startStep) / ((t - start) / 1000) : 0;
          const eta = rate > 0 ? formatDuration((info.totalSteps - info.step - 1) / rate) : '-';
          bar.update(info.step + 1, { loss: formatLoss(info.loss), remaining: eta });
        },
      };
    },
    echo(line) {
      if (bar) stream.write(`\r\x1b[K${line}\n`);
      else stream.write(`${line}\n`);
    },
    stop,
  };
}

/**
 * A run's log: every line goes to the terminal (stderr, so stdout stays clean for data) and to
 * `log.txt` in the results folder, with the seconds since the start.
 */
import * as fs from 'node:fs';
import { isStdoutFile } from './folder';

/** Where progress and notes of a run go. */
export interface RunLog {
  /** Write one line (a timestamp is prepended in the file). */
  line(text: string): void;
  /** Close the file. */
  close(): void;
}

/** Options of `openRunLog`. */
export interface RunLogOptions {
  /** Also echo to this function (default: process.stderr; pass null to keep the terminal quiet, e.g. in tests). */
  readonly echo?: ((text: string) => void) | null;
  /** Append to an existing log (a resumed run) instead of starting a new one. */
  readonly append?: boolean;
}

/**
 * Open `file` for the run's log. If stdout is already redirected into that very file (a sweep's
 * wrapper does `run ... > log.txt`), lines are only echoed to stdout so they are not written twice.
 */
export function openRunLog(file: string | null, o: RunLogOptions = {}): RunLog {
  const t0 = Date.now();
  const sameAsStdout = file !== null && fs.existsSync(file) && isStdoutFile(file);
  const fd = file === null || sameAsStdout ? null : fs.openSync(file, o.append ? 'a' : 'w');
  const echo = sameAsStdout
    ? (t: string) => process.stdout.write(t + '\n')
    : o.echo === undefined
      ? (t: string) => process.stderr.write(t + '\n')
      : o.echo;
  return {
    line(text: string) {
      echo?.(text);
      if (fd !== null) fs.writeSync(fd, `[${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s] ${text}\n`);
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
    },
  };
}

/** A line writer for `logging` that appends to a file (Node only; exported from `@aml/core/node`). */
import { appendFileSync } from 'node:fs';

/**
 * A writer that appends lines to a file.
 * @example callbacks: [logging({ every: 50, write: appendLines('results/run/log.txt') })]
 */
export function appendLines(path: string): (line: string) => void {
  return (line) => appendFileSync(path, line + '\n');
}

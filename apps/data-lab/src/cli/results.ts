import * as fs from 'node:fs';
import * as path from 'node:path';
import { earlierRun, prepareResultsDir, writeJson } from '@aml/plot';

/**
 * Create `results/<name>/` for a run. An existing non-empty folder is never overwritten without `force`
 * (a finished analysis may be the only copy of a week's result); with `force` it is emptied first so no
 * stale file from an earlier run survives.
 */
export function prepareResults(root: string, name: string, force: boolean): string {
  if (!/^[\w.-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(`--name '${name}' must be a plain folder name (letters, digits, '.', '_', '-')`);
  }
  const dir = path.join(root, name);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!force) throw new Error(`${dir} already exists; pass --force to overwrite it, or choose another --name`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Files a finished run leaves; their presence means the folder holds results. */
export const RESULT_FILES = ['metrics.json', 'report.html', 'model', 'log.txt', 'embeddings.json'];

/**
 * Use the exact folder `dir` for a run (sweeps create it with their own config.json and run.json). Files that
 * are not results are kept; existing results need `force`, which removes only those.
 */
export function prepareOutDir(dir: string, force: boolean): string {
  // The folder mechanism is @aml/plot's; only the message (which names this CLI's files) is ours.
  const taken = earlierRun(dir, RESULT_FILES);
  if (taken.length && !force) throw new Error(`${dir} already holds results (${taken.join(', ')}); pass --force to overwrite them`);
  prepareResultsDir(dir, true, [], RESULT_FILES);
  return dir;
}

/** Lines of a run's log: kept for log.txt and echoed to stderr unless quiet. */
export class RunLog {
  private readonly lines: string[] = [];
  constructor(private readonly quiet: boolean) {}

  /** Record (and show) a line, prefixed with the time since the start. */
  readonly log = (line: string): void => {
    const stamped = `[${new Date().toISOString()}] ${line}`;
    this.lines.push(stamped);
    if (!this.quiet) process.stderr.write(line + '\n');
  };

  /** Write log.txt into `dir`. */
  write(dir: string): void {
    fs.writeFileSync(path.join(dir, 'log.txt'), this.lines.join('\n') + '\n');
  }
}

/** JSON with NaN/Inf as null (JSON has neither) and typed arrays as lists (@aml/plot's `writeJson`). */
export const writeJsonFile = writeJson;

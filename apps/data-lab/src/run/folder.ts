import * as fs from 'node:fs';
import * as path from 'node:path';
import { earlierRun, prepareResultsDir } from '@aml/core/node';

/** Files and folders a data-lab run writes (and `--force` or a failed run removes); nothing else is touched. */
export const DATA_LAB_ARTIFACTS = [
  'config.json',
  'resolved-config.json',
  'metrics.json',
  'report.html',
  'plotly.js',
  'report.png',
  'model',
  'log.txt',
  'embeddings.json',
  'checkpoint',
] as const;

/** Files whose presence means the folder holds an earlier run (a bare config.json, as a sweep writes it, does not). */
const MARKERS = ['metrics.json', 'report.html', 'model', 'embeddings.json', 'checkpoint'];

/** Where a run writes: an exact folder (`--out`), or `<results>/<name>`. Nothing is created here. */
export function runDir(o: { out?: string; results: string; name?: string }, fallbackName: string): string {
  if (o.out) return o.out;
  const name = o.name ?? fallbackName;
  if (!/^[\w.-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(`--name '${name}' must be a plain folder name (letters, digits, '.', '_', '-')`);
  }
  return path.join(o.results, name);
}

/** The `status` of metrics.json in `dir`, or undefined when there is none. */
export function runStatus(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

/**
 * Pre-flight check of the results folder, before anything is written: a folder holding an earlier run needs
 * `--force` (start over) or, for an interrupted analyze, `--resume`; a path that is a file is refused.
 */
export function checkRunDir(dir: string, force: boolean): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new Error(`${dir} is a file, not a folder; choose another --name or --out`);
  }
  const found = earlierRun(dir, MARKERS);
  if (found.length === 0 || force) return;
  const interrupted =
    runStatus(dir) === 'interrupted' || (found.includes('checkpoint') && !found.includes('metrics.json'));
  throw new Error(
    interrupted
      ? `${dir} holds an interrupted run; continue it with --resume, or start over with --force`
      : `${dir} already holds a run (${found.join(', ')}); pass --force to overwrite it, or choose another --name or --out`,
  );
}

/** A results folder made ready for a run, and how to undo it if the run fails. */
export interface OpenedDir {
  readonly dir: string;
  /** Remove what this run wrote (the whole folder if the run created it); other files are kept. */
  discard(): void;
}

/**
 * Create (or clear, with `force`) the results folder through @aml/core's shared run-folder mechanism. `keep`
 * lists files to leave in place (a sweep's config.json).
 */
export function openRunDir(dir: string, force: boolean, keep: readonly string[] = []): OpenedDir {
  const created = !fs.existsSync(dir);
  try {
    prepareResultsDir(dir, force, keep, DATA_LAB_ARTIFACTS, MARKERS);
  } catch (e) {
    throw fsError(e, dir);
  }
  return {
    dir,
    discard() {
      if (created) fs.rmSync(dir, { recursive: true, force: true });
      else prepareResultsDir(dir, true, keep, DATA_LAB_ARTIFACTS, MARKERS);
    },
  };
}

/** A Node file-system error as a sentence that names the path and the fix (never a bare EACCES/EEXIST/EISDIR). */
export function fsError(e: unknown, where: string): Error {
  const err = e as NodeJS.ErrnoException;
  const p = err.path ?? where;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return new Error(
        `cannot write ${p}: permission denied; choose a folder you can write to with --results or --out`,
      );
    case 'EEXIST':
    case 'ENOTDIR':
      return new Error(
        `cannot create ${p}: a file of that name is in the way; remove it or choose another --name or --out`,
      );
    case 'EISDIR':
      return new Error(`${p} is a folder where a file was expected; give a file path`);
    case 'ENOSPC':
      return new Error(
        `cannot write ${p}: the disk is full; free space and run again (add --resume to continue an interrupted analyze)`,
      );
    case 'ENOENT':
      return new Error(`${p} does not exist; check the path`);
    default:
      return e as Error;
  }
}

/**
 * The results folder of one run: `<dir>/{config.json, metrics.json, report.html, checkpoint/, log.txt}`.
 * A folder that already holds a finished run is never overwritten unless the user asks (`--force`);
 * with `--force` only the files a run writes are removed, never anything else the user keeps there.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files and folders a run writes (and `--force` removes). */
export const RUN_ARTIFACTS = [
  'config.json',
  'metrics.json',
  'report.html',
  'plotly.js',
  'checkpoint',
  'model',
  'log.txt',
] as const;

/** Files whose presence means the folder holds an earlier run (a bare config.json, as a sweep writes it, does not). */
const FINISHED_MARKERS = ['metrics.json', 'report.html', 'checkpoint'] as const;

/** Thrown when a run would overwrite an earlier one. */
export class ResultsExistError extends Error {
  constructor(
    readonly dir: string,
    found: readonly string[],
  ) {
    super(
      `${dir} already holds a run (${found.join(', ')}). ` +
        `Re-run with --force to overwrite it, or pick another folder with --out <dir>.`,
    );
    this.name = 'ResultsExistError';
  }
}

/**
 * The run artifacts of an earlier run found in `dir` (empty if none). `markers` are the names whose
 * presence means a finished run (default: metrics.json, report.html, checkpoint).
 */
export function earlierRun(dir: string, markers: readonly string[] = FINISHED_MARKERS): string[] {
  if (!fs.existsSync(dir)) return [];
  return markers.filter((f) => fs.existsSync(path.join(dir, f)));
}

/**
 * Make `dir` ready for a new run: create it, refuse if it holds an earlier run and `force` is false,
 * otherwise remove the earlier run's artifacts (except `keep`, e.g. the input config a sweep put there).
 * `artifacts` names what a run writes, for a tool whose runs leave more than the standard layout
 * (default `RUN_ARTIFACTS`); `markers` names those whose presence means an earlier run (default: for the
 * standard layout metrics.json, report.html and checkpoint; otherwise every artifact).
 */
export function prepareResultsDir(
  dir: string,
  force: boolean,
  keep: readonly string[] = [],
  artifacts: readonly string[] = RUN_ARTIFACTS,
  markers: readonly string[] = artifacts === RUN_ARTIFACTS ? FINISHED_MARKERS : artifacts,
): void {
  const found = earlierRun(dir, markers);
  if (found.length > 0 && !force) throw new ResultsExistError(dir, found);
  fs.mkdirSync(dir, { recursive: true });
  const kept = new Set(keep.map((k) => path.resolve(k)));
  for (const name of artifacts) {
    const p = path.join(dir, name);
    if (kept.has(path.resolve(p)) || !fs.existsSync(p)) continue;
    // A sweep's wrapper may already be writing our stdout into log.txt: leave that file alone.
    if (name === 'log.txt' && isStdoutFile(p)) continue;
    fs.rmSync(p, { recursive: true, force: true });
  }
}

/**
 * Write `value` as pretty JSON (NaN/Infinity become null, typed arrays plain arrays), atomically: a run killed
 * mid-write leaves the old file or the new one, never half of one.
 */
export function writeJson(file: string, value: unknown): void {
  const text = JSON.stringify(
    value,
    (_k, v) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    2,
  );
  writeFileAtomic(file, text + '\n');
}

/**
 * Write `data` to `file` atomically (a temporary file beside it, then a rename), creating the folder.
 * Checkpoints and metrics written this way survive a kill at any instant.
 */
export function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // pid and a random tag: worker threads share the pid, and two writers must never share a temporary file.
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file); // atomic replace on POSIX: readers see the old or the new file, never half of one
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** True when this process's stdout is the file `file` (e.g. `cmd > run/log.txt`). */
export function isStdoutFile(file: string): boolean {
  try {
    const out = fs.fstatSync(1);
    const f = fs.statSync(file);
    return out.isFile() && out.dev === f.dev && out.ino === f.ino;
  } catch {
    return false;
  }
}

/**
 * Shared plumbing of the generative experiments: flags, the results folder
 * (config.json, metrics.json, report.html, log.txt) and the backend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backendInfo, initBackend } from '@aml/core';
import type { Report } from '@aml/plot';

/** Options every experiment's `run` takes. */
export interface RunOptions {
  /** Smoke-size run (seconds) for tests and CI. */
  readonly quick?: boolean;
  /** Results folder (default results/<name>). */
  readonly outDir?: string;
  /** Seed of the experiment's Rng (default 1). */
  readonly seed?: number;
  /** Write report.html (default true; tests turn it off). */
  readonly report?: boolean;
  /** Print progress lines to stderr (default true). */
  readonly verbose?: boolean;
  /** Restrict a multi-part experiment to one part (e.g. one dataset of toys2d). */
  readonly only?: string;
}

/** Parse `--quick`, `--out <dir>`, `--seed <n>`, `--no-report`. */
export function parseFlags(argv: readonly string[]): RunOptions {
  let quick = false, report = true, outDir: string | undefined, seed: number | undefined, only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--quick') quick = true;
    else if (k === '--no-report') report = false;
    else if (k === '--out') outDir = argv[++i];
    else if (k === '--only') only = argv[++i];
    else if (k === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${argv[i]}`);
    } else throw new Error(`unknown argument ${k}; use --quick, --out <dir>, --seed <n>, --only <part>, --no-report`);
  }
  return { quick, outDir, seed, report, only };
}

/** A results folder whose log goes to stderr and to log.txt. */
export class Results {
  readonly dir: string;
  private readonly lines: string[] = [];
  private readonly t0 = Date.now();
  constructor(readonly name: string, private readonly o: RunOptions) {
    this.dir = o.outDir ?? path.join('results', name);
    fs.mkdirSync(this.dir, { recursive: true });
  }
  log(line: string): void {
    this.lines.push(line);
    if (this.o.verbose !== false) console.error(`[${this.name}] ${line}`);
  }
  /** Write config.json, metrics.json (+ backend and wall time), log.txt and report.html (if enabled). */
  finish<M extends Record<string, unknown>>(config: object, metrics: M, report?: Report): M & { backend: string; seconds: number } {
    const all = { ...metrics, backend: backendInfo()?.name ?? 'unknown', seconds: (Date.now() - this.t0) / 1000 };
    fs.writeFileSync(path.join(this.dir, 'config.json'), JSON.stringify(config, null, 2));
    fs.writeFileSync(path.join(this.dir, 'metrics.json'), JSON.stringify(all, null, 2));
    fs.writeFileSync(path.join(this.dir, 'log.txt'), this.lines.join('\n') + '\n');
    if (report && this.o.report !== false) {
      report.section('Metrics').metrics(all);
      report.section('Configuration').code(JSON.stringify(config, null, 2));
      report.write(this.dir);
    }
    return all;
  }
}

/** Start the backend (auto: wasm here) unless one is running. */
export async function ensureBackend(): Promise<void> {
  if (!backendInfo()) await initBackend({ quiet: true });
}

/** Run `main` when the file is executed as a script (not when imported by a test or the bench). */
export function runIfMain(mod: NodeModule, run: (o: RunOptions) => Promise<unknown>): void {
  if (require.main !== mod) return;
  run(parseFlags(process.argv.slice(2)))
    .then((m) => console.log(JSON.stringify(m, null, 2)))
    .catch((e) => {
      console.error((e as Error).message);
      process.exit(1);
    });
}

/** Mean of an array. */
export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

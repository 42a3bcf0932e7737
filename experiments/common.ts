/**
 * Shared plumbing of the experiment scripts (experiments/nn, experiments/generative): command-line
 * flags, the results folder (config.json, metrics.json, report.html, checkpoint/, log.txt) through
 * @aml/core's results-folder mechanism, the backend, and small metrics the scripts share.
 */
import * as path from 'node:path';
import { backendInfo, initBackend } from '@aml/core';
import type { Report } from '@aml/plot';
import { openRunLog, prepareResultsDir, writeJson, type RunLog } from '@aml/core/node';

/** Options every experiment's `run` takes. */
export interface RunOptions {
  /** Smoke-size run (seconds) for tests and CI. */
  readonly quick?: boolean;
  /** Results folder (default results/<name>). */
  readonly outDir?: string;
  /** Seed of the experiment's Rng (default 1). */
  readonly seed?: number;
  /** Overwrite an earlier run in the results folder (without it the run refuses to start). */
  readonly force?: boolean;
  /** Write report.html (default true; tests turn it off to save time). */
  readonly report?: boolean;
  /** Print progress lines to stderr (default true). */
  readonly verbose?: boolean;
  /** Restrict a multi-part experiment to one part (e.g. one dataset of toys2d). */
  readonly only?: string;
  /** Script-specific `--key value` flags (e.g. char-lm's `--text`). */
  readonly extra?: Record<string, string>;
}

const USAGE = 'use --quick, --out <dir>, --seed <n>, --force, --only <part>, --no-report, or --<key> <value>';

/** Parse `--quick`, `--out <dir>`, `--seed <n>`, `--force`, `--only <part>`, `--no-report` and extra `--key value` flags. */
export function parseFlags(argv: readonly string[]): RunOptions & { extra: Record<string, string> } {
  const extra: Record<string, string> = {};
  let quick = false,
    force = false,
    report = true;
  let outDir: string | undefined, seed: number | undefined, only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--quick') quick = true;
    else if (k === '--force') force = true;
    else if (k === '--no-report') report = false;
    else if (k === '--out') outDir = argv[++i];
    else if (k === '--only') only = argv[++i];
    else if (k === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${argv[i]}`);
    } else if (k.startsWith('--') && i + 1 < argv.length) extra[k.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${k}; ${USAGE}`);
  }
  return { quick, outDir, seed, force, report, only, extra };
}

/**
 * A results folder (results/<name>) whose log goes to stderr and to log.txt. An earlier run in the
 * folder is never overwritten unless `force` is set (then only the run's own files are removed).
 */
export class Results {
  readonly dir: string;
  private readonly t0 = Date.now();
  private readonly runLog: RunLog;
  constructor(
    readonly name: string,
    private readonly o: RunOptions,
  ) {
    this.dir = o.outDir ?? path.join('results', name);
    prepareResultsDir(this.dir, o.force === true);
    this.runLog = openRunLog(path.join(this.dir, 'log.txt'), {
      echo: o.verbose === false ? null : (t) => process.stderr.write(`[${name}] ${t}\n`),
    });
  }
  /**
   * The trainer options every experiment shares: one checkpoint (weights, optimizer state, RNG, step)
   * after the last of `steps` steps, so the run is resumable and the model reusable, and progress
   * lines unless `verbose` is false.
   */
  trainOutput(steps: number): {
    checkpoint: { dir: string; every: number };
    progress: 'none' | 'lines';
    progressEvery: number;
  } {
    return {
      checkpoint: { dir: path.join(this.dir, 'checkpoint'), every: steps },
      progress: this.o.verbose === false ? 'none' : 'lines',
      progressEvery: Math.max(1, Math.floor(steps / 10)),
    };
  }
  /** Write one line to the log (and to stderr unless `verbose` is false). */
  log(line: string): void {
    this.runLog.line(line);
  }
  /** Write config.json, metrics.json (+ backend and wall time), close log.txt, and write report.html (if enabled). */
  finish<M extends Record<string, unknown>>(
    config: object,
    metrics: M,
    report?: Report,
  ): M & { backend: string; seconds: number } {
    const all = { ...metrics, backend: backendInfo()?.name ?? 'unknown', seconds: (Date.now() - this.t0) / 1000 };
    writeJson(path.join(this.dir, 'config.json'), config);
    writeJson(path.join(this.dir, 'metrics.json'), all);
    this.runLog.close();
    if (report && this.o.report !== false) {
      report.section('Metrics').metrics(all);
      report.section('Configuration').code(JSON.stringify(config, null, 2));
      report.write(this.dir);
    }
    return all;
  }
}

/** Start the backend (auto: wasm here) unless one is already running. */
export async function ensureBackend(): Promise<void> {
  if (!backendInfo()) await initBackend({ quiet: true });
}

/** Run `run` when the file is executed as a script (not when imported by a test or the bench). */
export function runIfMain(
  mod: NodeModule,
  run: (o: RunOptions & { extra: Record<string, string> }) => Promise<unknown>,
): void {
  if (require.main !== mod) return;
  Promise.resolve()
    .then(() => run(parseFlags(process.argv.slice(2))))
    .then((m) => console.log(JSON.stringify(m, null, 2)))
    .catch((e) => {
      console.error((e as Error).message);
      process.exit(1);
    });
}

/** MSE, RMSE, MAE and R^2 = 1 - SS_res / SS_tot of predictions against truth. */
export function regressionMetrics(pred: ArrayLike<number>, truth: ArrayLike<number>) {
  if (pred.length !== truth.length)
    throw new Error(`regressionMetrics: ${pred.length} predictions for ${truth.length} targets`);
  const n = truth.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i] / n;
  let se = 0,
    ae = 0,
    tot = 0;
  for (let i = 0; i < n; i++) {
    se += (pred[i] - truth[i]) ** 2;
    ae += Math.abs(pred[i] - truth[i]);
    tot += (truth[i] - mean) ** 2;
  }
  return { mse: se / n, rmse: Math.sqrt(se / n), mae: ae / n, r2: 1 - se / tot };
}

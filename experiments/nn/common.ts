/**
 * Shared plumbing of the nn experiments: command-line flags, the results folder
 * (config.json, metrics.json, report.html, log.txt) and regression metrics.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backendInfo, initBackend } from '@aml/core';
import { Report } from '@aml/plot';

/** Options every experiment's `run` takes. */
export interface RunOptions {
  /** Smoke-size run (seconds) for tests and CI. */
  readonly quick?: boolean;
  /** Results folder (default results/<name>). */
  readonly outDir?: string;
  /** Seed of the experiment's Rng (default 1). */
  readonly seed?: number;
  /** Write report.html (default true; tests turn it off to save time). */
  readonly report?: boolean;
  /** Print progress lines (default true). */
  readonly verbose?: boolean;
}

/** Parse `--quick`, `--out <dir>`, `--seed <n>` and extra `--key value` flags. */
export function parseFlags(argv: string[]): RunOptions & { extra: Record<string, string> } {
  const extra: Record<string, string> = {};
  let quick = false, outDir: string | undefined, seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--quick') quick = true;
    else if (k === '--out') outDir = argv[++i];
    else if (k === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${argv[i]}`);
    } else if (k.startsWith('--') && i + 1 < argv.length) extra[k.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${k}; use --quick, --out <dir>, --seed <n>`);
  }
  return { quick, outDir, seed, extra };
}

/** A results folder (results/<name>: config, metrics, report, checkpoint, log) with a log that goes to the console and to log.txt. */
export class Results {
  readonly dir: string;
  private readonly lines: string[] = [];
  constructor(readonly name: string, private readonly o: RunOptions) {
    this.dir = o.outDir ?? path.join('results', name);
    fs.mkdirSync(this.dir, { recursive: true });
    // A new run replaces the folder's previous results; core's trainer refuses to write over another
    // run's checkpoint, so the old one goes first (these scripts always start fresh).
    const ck = path.join(this.dir, 'checkpoint');
    if (fs.existsSync(ck)) {
      fs.rmSync(ck, { recursive: true, force: true });
      this.log(`replaced the previous checkpoint in ${ck}`);
    }
  }
  log(line: string): void {
    this.lines.push(line);
    if (this.o.verbose !== false) console.error(`[${this.name}] ${line}`);
  }
  /** Write config.json, metrics.json (with backend and wall time), log.txt and, if enabled, report.html. */
  finish(config: object, metrics: Record<string, unknown>, report?: Report): void {
    const b = backendInfo();
    const all = { ...metrics, backend: b?.name ?? 'unknown' };
    fs.writeFileSync(path.join(this.dir, 'config.json'), JSON.stringify(config, null, 2));
    fs.writeFileSync(path.join(this.dir, 'metrics.json'), JSON.stringify(all, null, 2));
    fs.writeFileSync(path.join(this.dir, 'log.txt'), this.lines.join('\n') + '\n');
    if (report && this.o.report !== false) {
      report.section('Metrics').metrics(all);
      report.section('Configuration').code(JSON.stringify(config, null, 2));
      report.write(this.dir);
    }
  }
}

/** Start the backend (auto: wasm here) unless one is already running. */
export async function ensureBackend(): Promise<void> {
  if (!backendInfo()) await initBackend({ quiet: true });
}

/** MSE, RMSE, MAE and R^2 = 1 - SS_res / SS_tot of predictions against truth. */
export function regressionMetrics(pred: ArrayLike<number>, truth: ArrayLike<number>) {
  if (pred.length !== truth.length) throw new Error(`regressionMetrics: ${pred.length} predictions for ${truth.length} targets`);
  const n = truth.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i] / n;
  let se = 0, ae = 0, tot = 0;
  for (let i = 0; i < n; i++) {
    se += (pred[i] - truth[i]) ** 2;
    ae += Math.abs(pred[i] - truth[i]);
    tot += (truth[i] - mean) ** 2;
  }
  return { mse: se / n, rmse: Math.sqrt(se / n), mae: ae / n, r2: 1 - se / tot };
}

/** Run `main` when the file is executed as a script (not when imported by a test). */
export function runIfMain(mod: NodeModule, run: (o: RunOptions & { extra: Record<string, string> }) => Promise<unknown>): void {
  if (require.main !== mod) return;
  const flags = parseFlags(process.argv.slice(2));
  run(flags)
    .then((m) => console.log(JSON.stringify(m, null, 2)))
    .catch((e) => {
      console.error((e as Error).message);
      process.exit(1);
    });
}

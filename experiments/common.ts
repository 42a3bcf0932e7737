/**
 * Shared plumbing of the experiment scripts (experiments/nn, experiments/generative): command-line
 * flags, the results folder (config.json, metrics.json, report.html, checkpoint/, log.txt) through
 * @aml/core's results-folder mechanism, the backend, and small metrics the scripts share.
 *
 * Long runs survive interruption the same way in every script: `res.train(part, ...)` is core's
 * `train()` with a checkpoint in `checkpoint/<part>/` every `--checkpoint-every` steps and at least every
 * `--checkpoint-seconds`; `res.part(name, fn)` stores what a finished part of a multi-part experiment
 * returned, so `--resume` skips it; Ctrl-C (SIGINT) or SIGTERM during training finishes the step,
 * saves, writes metrics.json with status 'interrupted', says how to resume and exits 130 / 143.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  backendInfo,
  initBackend,
  train,
  type History,
  type Rng,
  type RngState,
  type RunState,
  type TrainConfig,
} from '@aml/core';
import type { Report } from '@aml/plot';
import {
  checkpointExtra,
  loadCheckpoint,
  openRunLog,
  prepareResultsDir,
  readManifest,
  writeFileAtomic,
  writeJson,
  type RunLog,
  type SignalWatch,
  watchSignals,
  InterruptedError,
} from '@aml/core/node';

export { InterruptedError, SIGNAL_EXIT } from '@aml/core/node';

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
  /** Continue the interrupted run in the results folder from its last checkpoint. */
  readonly resume?: boolean;
  /** Write a checkpoint every this many steps (default 1000). */
  readonly checkpointEvery?: number;
  /** ... and at least every this many seconds of training (default 60). */
  readonly checkpointSeconds?: number;
  /** Stop training after the current step once aborted (reason 'SIGINT' or 'SIGTERM'); the CLI's signals. */
  readonly signal?: AbortSignal;
  /** The command that resumes this run, as the user would type it (set by the CLI). */
  readonly resumeCommand?: string;
}

/** Default checkpoint interval in steps, and the longest wall time between two checkpoints. */
export const CHECKPOINT_EVERY = 1000;
export const CHECKPOINT_SECONDS = 60;

const USAGE =
  'use --quick, --out <dir>, --seed <n>, --force, --resume, --only <part>, --no-report, --checkpoint-every <steps>, ' +
  '--checkpoint-seconds <s>, or --<key> <value>';

/**
 * Parse `--quick`, `--out <dir>`, `--seed <n>`, `--force`, `--resume`, `--only <part>`, `--no-report`,
 * `--checkpoint-every <steps>`, `--checkpoint-seconds <s>` and extra `--key value` flags.
 */
export function parseFlags(argv: readonly string[]): RunOptions & { extra: Record<string, string> } {
  const extra: Record<string, string> = {};
  let quick = false,
    force = false,
    resume = false,
    report = true;
  let outDir: string | undefined, seed: number | undefined, only: string | undefined;
  let checkpointEvery: number | undefined, checkpointSeconds: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--quick') quick = true;
    else if (k === '--force') force = true;
    else if (k === '--resume') resume = true;
    else if (k === '--no-report') report = false;
    else if (k === '--out') outDir = argv[++i];
    else if (k === '--only') only = argv[++i];
    else if (k === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${argv[i]}`);
    } else if (k === '--checkpoint-every') {
      checkpointEvery = Number(argv[++i]);
      if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1)
        throw new Error(`--checkpoint-every must be a whole number of steps >= 1, got ${argv[i]}`);
    } else if (k === '--checkpoint-seconds') {
      checkpointSeconds = Number(argv[++i]);
      if (!Number.isFinite(checkpointSeconds) || checkpointSeconds <= 0)
        throw new Error(`--checkpoint-seconds must be a number of seconds > 0, got ${argv[i]}`);
    } else if (k.startsWith('--') && i + 1 < argv.length) extra[k.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${k}; ${USAGE}`);
  }
  if (resume && force) throw new Error('--resume continues a run and --force starts it over: pass one of them');
  return {
    quick,
    outDir,
    seed,
    force,
    report,
    only,
    extra,
    ...(resume ? { resume } : {}),
    ...(checkpointEvery !== undefined ? { checkpointEvery } : {}),
    ...(checkpointSeconds !== undefined ? { checkpointSeconds } : {}),
  };
}

/** What a model keeps outside its variables and optimizers, saved with each checkpoint and restored on resume. */
export interface ModelState {
  save(): RunState;
  restore(state: RunState): void;
}

/** Training summary of one part, as metrics.json records it. */
interface PartTraining {
  readonly steps: number;
  readonly finalLoss: number;
  readonly stopReason: string;
}

/** What `checkpoint/parts.json` keeps of a finished part. */
interface FinishedPart {
  readonly result: unknown;
  readonly rngs: RngState[];
  readonly training: Record<string, PartTraining>;
}

/** What must match for `--resume` to continue a run: the flags that change results, and the resolved config. */
interface RunIdentity {
  readonly experiment: string;
  readonly seed: number;
  readonly quick: boolean;
  readonly only: string | null;
  readonly extra: Record<string, string>;
  readonly config: unknown;
}

/** The results folder of the script being run (the CLI cleans up after a failure). */
let lastResults: Results | undefined;

/** The CLI's signal handlers, listening only while a `Results.train` runs (elsewhere a signal ends the process at once). */
let cliSignals: SignalWatch | undefined;

/**
 * A results folder (results/<name>) whose log goes to stderr and to log.txt. An earlier run in the
 * folder is never overwritten unless `force` is set (then only the run's own files are removed);
 * with `resume` the interrupted run there continues.
 */
export class Results {
  readonly dir: string;
  private readonly t0 = Date.now();
  private readonly runLog: RunLog;
  private readonly ckptDir: string;
  private readonly training: Record<string, PartTraining> = {};
  private readonly done: Record<string, FinishedPart>;
  private readonly every: number;
  private readonly seconds: number;
  private mute = false;
  /** The settings to write into checkpoint/run.json before the first part or checkpoint of a fresh run. */
  private identity: (RunIdentity & { resume: string | null }) | null = null;
  /** Training summaries recorded while a part runs (stored with it, see `part`). */
  private partTraining: Record<string, PartTraining> | null = null;
  constructor(
    readonly name: string,
    private readonly o: RunOptions,
    config?: unknown,
  ) {
    this.dir = o.outDir ?? path.join('results', name);
    lastResults = this;
    this.ckptDir = path.join(this.dir, 'checkpoint');
    this.every = o.checkpointEvery ?? CHECKPOINT_EVERY;
    this.seconds = o.checkpointSeconds ?? CHECKPOINT_SECONDS;
    const identity: RunIdentity = {
      experiment: name,
      seed: o.seed ?? 1,
      quick: o.quick === true,
      only: o.only ?? null,
      extra: o.extra ?? {},
      config: config === undefined ? null : JSON.parse(JSON.stringify(config)),
    };
    if (o.resume) {
      if (o.force) throw new Error('--resume continues a run and --force starts it over: pass one of them');
      this.done = checkResumable(this.dir, identity);
    } else {
      if (!o.force && readStatus(path.join(this.dir, 'metrics.json')) === 'interrupted')
        throw new Error(
          `${this.dir} holds an interrupted run; continue it with --resume, or start over with --force (or pick another folder with --out <dir>)`,
        );
      prepareResultsDir(this.dir, o.force === true);
      this.identity = { ...identity, resume: o.resumeCommand ?? null };
      this.done = {};
    }
    for (const p of Object.values(this.done)) Object.assign(this.training, p.training);
    this.runLog = openRunLog(path.join(this.dir, 'log.txt'), {
      echo: o.verbose === false ? null : (t) => void (this.mute ? undefined : process.stderr.write(`[${name}] ${t}\n`)),
      append: o.resume === true,
    });
    if (o.resume) {
      const n = Object.keys(this.done).length;
      this.log(`resuming the run in ${this.dir}${n ? ` (${n} finished part${n > 1 ? 's' : ''} kept)` : ''}`);
    }
  }

  /** The command that continues this run. */
  private resumeCommand(): string {
    return this.o.resumeCommand ?? `run the same command again with --resume (results folder ${this.dir})`;
  }

  /** The signal that stops training: the caller's, or the CLI's SIGINT/SIGTERM. */
  private get signal(): AbortSignal | undefined {
    return this.o.signal ?? cliSignals?.signal;
  }

  /**
   * Core's `train()` for one named part of the experiment, with what every script shares: a checkpoint in
   * `checkpoint/<part>/` every `--checkpoint-every` steps, at least every `--checkpoint-seconds` and at the
   * end; with `--resume`, continuing from that checkpoint (same losses as a run never stopped); stopping
   * after the current step on SIGINT/SIGTERM (then metrics.json says 'interrupted' and InterruptedError is
   * thrown); progress lines unless `verbose` is false. Each part name is used once per run. `state` saves
   * and restores what the model keeps outside its variables and optimizers (an EBM's replay buffer).
   */
  async train(
    part: string,
    cfg: Omit<TrainConfig, 'checkpoint' | 'resumeFrom' | 'signal'>,
    state?: ModelState,
  ): Promise<History> {
    if (!/^[\w.=-]+$/.test(part))
      throw new Error(`Results.train: part name '${part}' must be letters, digits, '_', '.', '=' or '-'`);
    const dir = path.join(this.ckptDir, part);
    if (this.signal?.aborted) this.stop(part, null);
    this.saveIdentity();
    const saved = this.o.resume ? readManifest(dir) : null;
    if (saved) {
      this.log(`${part}: resuming from the checkpoint of step ${saved.step}`);
      if (state) {
        const extra = checkpointExtra(loadCheckpoint(dir));
        if (!extra) throw new Error(`--resume: ${dir} holds no saved model state for ${part}; start over with --force`);
        state.restore(extra);
      }
    }
    const total = totalSteps(cfg);
    cliSignals?.listen();
    let h: History;
    try {
      h = await train({
        progress: this.o.verbose === false ? 'none' : 'lines',
        progressEvery: Math.max(1, Math.floor(total / 10)),
        ...cfg,
        checkpoint: { dir, every: this.every, everySeconds: this.seconds, ...(state ? { state: state.save } : {}) },
        resumeFrom: saved ? dir : undefined,
        signal: this.signal,
      });
    } finally {
      cliSignals?.pause();
    }
    const summary = {
      steps: h.steps,
      finalLoss: h.loss.length ? h.loss[h.loss.length - 1] : NaN,
      stopReason: h.stopReason,
    };
    this.training[part] = summary;
    if (this.partTraining) this.partTraining[part] = summary;
    if (h.stoppedBy === 'interrupted') this.stop(part, h.steps);
    return h;
  }

  /**
   * One part of a multi-part experiment (one model of several, one dataset): runs `fn` and stores what it
   * returns (JSON data: numbers, including NaN and infinities, strings, arrays, typed arrays, plain objects)
   * in checkpoint/parts.json. With `--resume` a part finished earlier is not run again: its stored result is
   * returned and each generator in `rngs` is set to its state after the part, so the parts after it draw
   * the same numbers as in a run never stopped. Draw a part's own generators (`rng.fork()`) before calling.
   */
  async part<T>(name: string, fn: () => T | Promise<T>, rngs: readonly Rng[] = []): Promise<T> {
    const prior = this.done[name];
    if (prior) {
      prior.rngs.forEach((s, i) => rngs[i]?.setState(s));
      this.log(`${name}: finished before the interruption, kept`);
      return decode(prior.result) as T;
    }
    if (this.signal?.aborted) this.stop(name, null);
    this.saveIdentity();
    const training: Record<string, PartTraining> = {};
    this.partTraining = training;
    let result: T;
    try {
      result = await fn();
    } finally {
      this.partTraining = null;
    }
    const encoded = encode(result);
    this.done[name] = { result: encoded, rngs: rngs.map((r) => r.getState()), training };
    writeFileAtomic(path.join(this.ckptDir, 'parts.json'), `${JSON.stringify(this.done, null, 1)}\n`);
    return decode(encoded) as T; // the same value a resumed run gets back
  }

  /** Write checkpoint/run.json once, before anything resumable is saved (a run that fails earlier leaves no checkpoint/). */
  private saveIdentity(): void {
    if (!this.identity) return;
    writeJson(path.join(this.ckptDir, 'run.json'), this.identity);
    this.identity = null;
  }

  /**
   * After a failure (not an interruption): a fresh run that saved no checkpoint and finished no part removes its
   * checkpoint/ folder, so the folder does not read as an earlier run; anything resumable stays.
   */
  abandon(): void {
    if (this.o.resume || !fs.existsSync(this.ckptDir)) return;
    const saved = fs.readdirSync(this.ckptDir).some((f) => readManifest(path.join(this.ckptDir, f)) !== null);
    if (!saved && Object.keys(this.done).length === 0) fs.rmSync(this.ckptDir, { recursive: true, force: true });
  }

  /** Record an interrupted run in metrics.json and throw InterruptedError with how to resume. */
  private stop(part: string, step: number | null): never {
    const reason = this.signal?.reason;
    const signal = reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    const where = step === null ? `before ${part} started` : `after step ${step} of ${part}`;
    const saved = path.join(this.dir, 'checkpoint');
    writeJson(path.join(this.dir, 'metrics.json'), {
      status: 'interrupted',
      signal,
      part,
      step,
      finishedParts: Object.keys(this.done),
      training: this.training,
      resume: this.resumeCommand(),
      backend: backendInfo()?.name ?? 'unknown',
      seconds: (Date.now() - this.t0) / 1000,
    });
    const msg = `interrupted (${signal}) ${where}; the run is saved in ${saved}. Resume with: ${this.resumeCommand()}`;
    this.mute = true; // the caller prints the message once, as the error it is
    this.runLog.line(msg);
    this.mute = false;
    this.runLog.close();
    throw new InterruptedError(signal, msg);
  }

  /** Write one line to the log (and to stderr unless `verbose` is false). */
  log(line: string): void {
    this.runLog.line(line);
  }

  /**
   * Write config.json, metrics.json (status 'completed', each part's steps and final loss, backend and wall
   * time), close log.txt, and write report.html (if enabled).
   */
  finish<M extends Record<string, unknown>>(
    config: object,
    metrics: M,
    report?: Report,
  ): M & { status: 'completed'; backend: string; seconds: number } {
    const all = {
      status: 'completed' as const,
      ...metrics,
      ...(Object.keys(this.training).length ? { training: this.training } : {}),
      backend: backendInfo()?.name ?? 'unknown',
      seconds: (Date.now() - this.t0) / 1000,
    };
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

/** Steps a train() config runs (for the progress interval). */
function totalSteps(cfg: Omit<TrainConfig, 'checkpoint' | 'resumeFrom' | 'signal'>): number {
  if (cfg.steps !== undefined) return cfg.steps;
  const first = cfg.data ? Object.values(cfg.data)[0] : undefined;
  const n = first ? first.shape[0] : 1;
  return Math.ceil(n / (cfg.batchSize ?? n)) * (cfg.epochs ?? 1);
}

/**
 * `--resume` needs a folder holding a run of this experiment that did not complete, started with the same
 * settings, and something saved (a checkpoint or a finished part). Returns the finished parts.
 */
function checkResumable(dir: string, want: RunIdentity): Record<string, FinishedPart> {
  const ckpt = path.join(dir, 'checkpoint');
  const status = readStatus(path.join(dir, 'metrics.json'));
  if (status === 'completed')
    throw new Error(`--resume: the run in ${dir} has completed; nothing to resume (run it again with --force)`);
  const runFile = path.join(ckpt, 'run.json');
  if (!fs.existsSync(runFile))
    throw new Error(`--resume: ${dir} holds no run to resume (${runFile} is missing); start it without --resume`);
  const got = JSON.parse(fs.readFileSync(runFile, 'utf8')) as RunIdentity & { resume?: string | null };
  const differ = (['experiment', 'seed', 'quick', 'only', 'extra', 'config'] as const).filter(
    (k) => JSON.stringify(got[k]) !== JSON.stringify(want[k]),
  );
  if (differ.length) {
    const shown = differ
      .filter((k) => k !== 'config')
      .map((k) => `${k} ${JSON.stringify(got[k])}, now ${JSON.stringify(want[k])}`);
    throw new Error(
      `--resume: the run in ${dir} was started with other settings (${[...shown, ...(differ.includes('config') ? ['its config'] : [])].join('; ')}); ` +
        `continue it with the same flags${got.resume ? ` (${got.resume})` : ''}, or start over with --force`,
    );
  }
  const partsFile = path.join(ckpt, 'parts.json');
  const done = fs.existsSync(partsFile)
    ? (JSON.parse(fs.readFileSync(partsFile, 'utf8')) as Record<string, FinishedPart>)
    : {};
  const anyCheckpoint = fs.readdirSync(ckpt).some((f) => readManifest(path.join(ckpt, f)) !== null);
  if (!anyCheckpoint && Object.keys(done).length === 0)
    throw new Error(
      `--resume: ${ckpt} holds no checkpoint (the run stopped before its first one); start over with --force instead of --resume`,
    );
  return done;
}

/** The "status" of a metrics.json, or undefined when there is none (or it cannot be read). */
function readStatus(file: string): unknown {
  if (!fs.existsSync(file)) return undefined;
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { status?: unknown }).status;
  } catch {
    return undefined;
  }
}

/** JSON-safe form of a part's result: non-finite numbers and typed arrays are tagged so `decode` restores them exactly. */
function encode(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
  if (v instanceof Float32Array) return { $float32: Array.from(v, encode) };
  if (v instanceof Float64Array) return { $float64: Array.from(v, encode) };
  if (v instanceof Int32Array) return { $int32: Array.from(v) };
  if (v instanceof Int8Array) return { $int8: Array.from(v) };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype)
      throw new Error(
        `Results.part: a part must return plain data (numbers, strings, arrays, objects), got ${v.constructor?.name}`,
      );
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  }
  return v;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$number === 'string') return Number(o.$number);
    if (Array.isArray(o.$float32)) return Float32Array.from(o.$float32.map(decode) as number[]);
    if (Array.isArray(o.$float64)) return Float64Array.from(o.$float64.map(decode) as number[]);
    if (Array.isArray(o.$int32)) return Int32Array.from(o.$int32 as number[]);
    if (Array.isArray(o.$int8)) return Int8Array.from(o.$int8 as number[]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

/** The `--steps <n>` flag of the scripts that take one (a whole number >= 1), or undefined when not given. */
export function stepsFlag(o: RunOptions): number | undefined {
  const v = o.extra?.steps;
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--steps must be a whole number of steps >= 1, got ${v}`);
  return n;
}

/** Start the backend (auto: wasm here) unless one is already running. */
export async function ensureBackend(): Promise<void> {
  if (!backendInfo()) await initBackend({ quiet: true });
}

/** The command that resumes a script run with `argv`, as the user would type it. */
export function resumeCommandFor(script: string, argv: readonly string[]): string {
  const q = (s: string) => (/^[\w./@:=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const kept = argv.filter((a) => a !== '--force' && a !== '--resume');
  return ['npx ts-node', q(script), ...kept.map(q), '--resume'].join(' ');
}

/**
 * Run `run` when the file is executed as a script (not when imported by a test or the bench). Prints the
 * metrics and exits 0 when the run completes; exits 130 (SIGINT) or 143 (SIGTERM) after an interruption
 * that saved the run, and 1 with the message on any failure.
 */
export function runIfMain(
  mod: NodeModule,
  run: (o: RunOptions & { extra: Record<string, string> }) => Promise<unknown>,
): void {
  if (require.main !== mod) return;
  const script = path.relative(process.cwd(), mod.filename) || mod.filename;
  const argv = process.argv.slice(2);
  Promise.resolve()
    .then(() => {
      const flags = parseFlags(argv);
      // the first SIGINT/SIGTERM during training stops it after the current step and saves; a second exits at once
      cliSignals = watchSignals({ name: path.basename(script, '.ts'), listen: false });
      return run({ ...flags, resumeCommand: resumeCommandFor(script, argv) });
    })
    .then((m) => console.log(JSON.stringify(m, null, 2)))
    .catch((e) => {
      if (!(e instanceof InterruptedError)) lastResults?.abandon();
      console.error((e as Error).message);
      process.exit(e instanceof InterruptedError ? e.exitCode : 1);
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

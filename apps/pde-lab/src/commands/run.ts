/**
 * `pde-lab run`: validate an experiment, train it, and write its results folder
 * `<out>/{config.json, metrics.json, report.html, checkpoint/, log.txt}`.
 *
 * Order matters: everything that can be checked without training (experiment file, problem config,
 * references, results folder) is checked before the backend starts, so a bad config or an earlier
 * run fails in a second, not after training.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, initBackend, positiveInt, positiveNumber, type Atom, type BackendChoice } from '@aml/core';
import { openRunLog, prepareResultsDir, readManifest, RUN_ARTIFACTS, writeJson, type RunLog } from '@aml/core/node';
import type { ParsedProblem, ProblemAdapter, TrainOutcome } from '../adapter/contract';
import { MODEL_DIR } from '../adapter/weights';
import { checkFtcs } from '../baselines/ftcs';
import { checkPoisson1d } from '../baselines/poisson1d';
import { runBaselines } from '../baselines/run-baselines';
import { loadExperiment, EXPERIMENTS_DIR, ConfigError } from '../catalog/catalog';
import { deepMerge } from '@aml/sweep';
import type { Experiment } from '../catalog/schema';
import { progressCallback } from '../progress/progress';
import { matchColumns, readReferenceGridSync, type ReferenceGrid } from '@aml/pinn';
import { evaluateOnGrid } from '../report/evaluate';
import { buildPdeReport } from '../report/pde-report';
import { RunEndedError, EXIT, signalExitCode } from '../cli/exit';
import type { ProgressSink } from '../progress/bar';
import { checkOutFolder, checkResumable, resumeCommand } from './resume';
import { coefficientMetrics, lastGood, reportMetrics, scoreGrid, trainingMetrics } from './run-metrics';
import { windowErrors } from './run-history';

/** Options of a run (the CLI flags). */
export interface RunOptions {
  /** Experiment name or path of a config .json. */
  readonly experiment: string;
  /** Overwrite an earlier run in the results folder. */
  readonly force?: boolean;
  /** Seed (default: the experiment's). */
  readonly seed?: number;
  /** Backend (default 'auto'). */
  readonly backend?: BackendChoice;
  /** Total optimiser steps instead of the config's. */
  readonly steps?: number;
  /** Tiny run: the experiment's `quick` block merged into its problem. */
  readonly quick?: boolean;
  /** Results folder (default results/<name>). */
  readonly out?: string;
  /** Where experiment names are looked up (default the shipped configs/). */
  readonly experimentsDir?: string;
  /** Echo of log lines (default stderr; null for silence). */
  readonly echo?: ((line: string) => void) | null;
  /** Seconds between progress lines (default 5). */
  readonly progressEvery?: number;
  /** Continue the run in the results folder from its checkpoint (its config.json is the config). */
  readonly resume?: boolean;
  /** Checkpoint every this many steps (default: training.checkpoint.every, else 1000). */
  readonly checkpointEvery?: number;
  /** Checkpoint at least every this many seconds (default: training.checkpoint.seconds, else 60). */
  readonly checkpointSeconds?: number;
  /** Aborted by SIGINT/SIGTERM (reason 'SIGINT' or 'SIGTERM'): the run stops after the current step and saves. */
  readonly signal?: AbortSignal;
  /** A progress bar on the terminal instead of echoed progress lines (the CLI's choice on a TTY). */
  readonly bar?: ProgressSink;
}

/** What a finished run reports back. */
export interface RunSummary {
  readonly out: string;
  readonly metrics: Record<string, unknown>;
}

/** A checked run with its folder and checkpoint settings: nothing written yet, no backend started. */
interface RunPlan {
  readonly run: PreparedRun;
  readonly out: string;
  readonly checkpoint: { readonly dir: string; readonly every: number; readonly everySeconds: number };
}

/** A run fully checked and ready to train: the problem config it trains and everything derived from it. */
export interface PreparedRun {
  readonly name: string;
  readonly file: string;
  readonly experiment: Experiment;
  readonly seed: number;
  /** The problem config this run trains (quick, steps and seed applied). */
  readonly problem: unknown;
  readonly parsed: ParsedProblem;
  /** A reference grid file (problem.reference.file), read and checked before training. */
  readonly referenceGrid?: ReferenceGrid;
  /** The reference the network is scored against, if any. */
  readonly reference?: ParsedProblem['reference'];
  readonly referenceLabel?: string;
}

/** The problem config with --quick, --steps and the seed applied (the full config is validated first under --quick). */
function resolveProblem(
  exp: Experiment,
  o: RunOptions,
  adapter: ProblemAdapter,
  where: string,
): { problem: unknown; seed: number } {
  let problem: unknown = exp.problem;
  if (o.quick) {
    // The full config must be valid too, not only its quick version: a quick run is how tests check every config.
    adapter.parse(problem, where);
    problem = exp.quick ? deepMerge(problem, exp.quick) : adapter.quick(problem);
  }
  if (o.steps !== undefined) {
    checkFlag(positiveInt, o.steps, '--steps');
    problem = adapter.withSteps(problem, o.steps);
  }
  const seed = o.seed ?? exp.seed ?? adapter.seedOf(problem) ?? 0;
  return { problem: adapter.withSeed(problem, seed), seed };
}

/** Checks of the app's settings against the parsed problem: slices, truth, baselines, a reference file. */
function checkSettings(exp: Experiment, parsed: ParsedProblem, file: string): ReferenceGrid | undefined {
  if (exp.report.slices && !parsed.inputs.includes(exp.report.slices.axis)) {
    throw new ConfigError(
      `${file}: report.slices.axis '${exp.report.slices.axis}' is not an input; use one of ${parsed.inputs.join(', ')}`,
    );
  }
  for (const k of Object.keys(exp.truth ?? {})) {
    if (!parsed.trainable.includes(k)) {
      throw new ConfigError(
        `${file}: truth names '${k}', which is not a trainable coefficient; trainable: ${parsed.trainable.join(', ') || '(none)'}`,
      );
    }
  }
  exp.baselines.forEach((b, i) => {
    try {
      if (b.type === 'ftcs') checkFtcs(b, parsed);
      else checkPoisson1d(b, parsed);
    } catch (e) {
      throw new ConfigError(`${file}: baselines[${i}]: ${(e as Error).message}`);
    }
  });
  if (exp.baselines.some((b) => b.type === 'ftcs') && !exp.report.slices) {
    throw new ConfigError(
      `${file}: FTCS baselines are compared on report.slices; add e.g. "slices": { "axis": "t", "at": [0.05, 0.5] }`,
    );
  }
  if (!parsed.referenceFile) return undefined;
  // Relative to the config file, so an experiment and its data file travel together.
  const grid = readReferenceGridSync(path.resolve(path.dirname(file), parsed.referenceFile), {
    inputs: parsed.inputs,
    outputs: parsed.outputs,
  });
  matchColumns(grid, parsed.inputs, parsed.outputs);
  return grid;
}

/**
 * Load and check everything about a run without training: the experiment file, the problem config
 * (with --quick, --steps, --seed), the reference, the observations, the report settings.
 */
export function prepareRun(o: RunOptions, adapter: ProblemAdapter): PreparedRun {
  const loaded = loadExperiment(o.experiment, o.experimentsDir ?? EXPERIMENTS_DIR);
  // A quick run only checks the pipeline: a coarse report grid keeps it to seconds (and config.json records it).
  const exp = o.quick
    ? {
        ...loaded.experiment,
        report: { ...loaded.experiment.report, grid: Math.min(loaded.experiment.report.grid, 21) },
      }
    : loaded.experiment;
  const where = `${displayPath(loaded.file)}: problem`;
  const resolved = resolveProblem(exp, o, adapter, where);
  const seed = resolved.seed;
  const problem = resolved.problem;
  // The problem config holds the one reference (closed form or classical solver) and any observations drawn from it.
  const parsed = adapter.parse(problem, where);
  const [reference, label] = [parsed.reference, parsed.referenceLabel];
  const referenceGrid = checkSettings(exp, parsed, loaded.file);
  const name = runName(exp, loaded.name);
  return {
    name,
    file: loaded.file,
    experiment: exp,
    seed,
    problem,
    parsed,
    reference,
    referenceLabel: label,
    referenceGrid,
  };
}

/** The run's name: the experiment's, else the problem's (a sweep's run folders hold a config.json), else the file's. */
function runName(exp: Experiment, fileName: string): string {
  const pname = (exp.problem as { name?: unknown }).name;
  return exp.name ?? (typeof pname === 'string' && pname ? pname : fileName);
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function displayPath(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

/**
 * Every check that can fail, before any file is written or the backend starts: the experiment and
 * problem (prepareRun), option ranges and memory (the adapter's preflight), the results folder
 * (an earlier run, or a file where the folder should be) and, with --resume, its checkpoint.
 */
export function planRun(o: RunOptions, adapter: ProblemAdapter): RunPlan {
  // With --resume the experiment only names the folder (no need to build it): the saved config is what continues.
  const named = o.resume ? loadExperiment(o.experiment, o.experimentsDir ?? EXPERIMENTS_DIR) : undefined;
  let run = named ? undefined : prepareRun(o, adapter);
  const out = path.resolve(o.out ?? path.join('results', run ? run.name : runName(named!.experiment, named!.name)));
  checkOutFolder(out);
  if (!run) {
    checkResumable(out, resumeCommand(o));
    // The saved config is the run's own (quick, steps, seed and observations applied).
    run = prepareRun(
      { ...o, experiment: path.join(out, 'config.json'), quick: false, steps: undefined, seed: undefined },
      adapter,
    );
  }
  const settings = adapter.preflight(run.parsed, `${displayPath(run.file)}: problem`);
  const every = o.checkpointEvery ?? settings.every;
  const everySeconds = o.checkpointSeconds ?? settings.everySeconds;
  checkFlag(positiveInt, every, '--checkpoint-every');
  checkFlag(positiveNumber, everySeconds, '--checkpoint-seconds');
  return { run, out, checkpoint: { dir: path.join(out, 'checkpoint'), every, everySeconds } };
}

/** A command-line value checked with core's shared rule; a bad one is a ConfigError naming the flag and the value. */
function checkFlag(rule: Atom, value: number, flag: string): void {
  try {
    check(rule(), value, flag);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/** Start the backend; its notes are kept until the log exists. A backend that cannot start names the alternatives. */
async function startBackend(choice: BackendChoice, notes: string[]): Promise<Awaited<ReturnType<typeof initBackend>>> {
  try {
    return await initBackend({ backend: choice, log: (l) => notes.push(l) });
  } catch (e) {
    throw new ConfigError(
      `--backend ${choice}: the backend cannot start here (${(e as Error).message.split('\n')[0]}); use --backend wasm (always available) or auto`,
    );
  }
}

/** Train one experiment and write its results folder. */
export async function runExperiment(o: RunOptions, adapter: ProblemAdapter): Promise<RunSummary> {
  const t0 = Date.now();
  const { run, out, checkpoint } = planRun(o, adapter);
  const notes: string[] = [];
  const backend = await startBackend(o.backend ?? 'auto', notes);
  // Only now, with every check passed, is the folder touched.
  const existed = fs.existsSync(out);
  if (!o.resume) prepareResultsDir(out, o.force ?? false, [run.file]);
  // With a bar, progress lines go to log.txt only (the bar shows them); other lines print above the bar.
  let quiet = false;
  const bar = o.bar;
  const terminal =
    o.echo === null
      ? null
      : bar
        ? (l: string) => bar.echo(l)
        : (o.echo ?? ((l: string) => void process.stderr.write(l + '\n')));
  const echo = terminal && ((l: string) => void (quiet ? undefined : terminal(l)));
  const log = openRunLog(path.join(out, 'log.txt'), { echo, append: o.resume });
  let open = true;
  const close = () => void (open && ((open = false), log.close()));
  const fileOnly = (l: string) => {
    quiet = true;
    log.line(l);
    quiet = false;
  };
  try {
    for (const n of notes) log.line(n);
    const exp = run.experiment;
    log.line(
      `${o.resume ? 'resume' : 'run'} ${run.name} (${displayPath(run.file)}) seed ${run.seed}${o.quick ? ' --quick' : ''} -> ${out}`,
    );
    // The resolved experiment is itself a valid experiment file: `pde-lab run <out>/config.json` repeats the run.
    const resolved = { ...exp, name: run.name, seed: run.seed, problem: run.problem, quick: undefined };
    if (!o.resume && path.resolve(run.file) !== path.join(out, 'config.json'))
      writeJson(path.join(out, 'config.json'), resolved);

    const built = adapter.build(run.parsed);
    try {
      const outcome = await built.train({
        callbacks: (phase) => [
          bar
            ? bar.phase(phase, fileOnly)
            : progressCallback({ write: (l) => log.line(l), phase, everySeconds: o.progressEvery }),
        ],
        log: (l) => log.line(l),
        checkpoint,
        resumeFrom: o.resume ? checkpoint.dir : undefined,
        signal: o.signal,
      });
      bar?.stop();
      // the message of an early end goes to log.txt here; main prints it once, as the error it is
      if (outcome.status !== 'completed') return endEarly(o, out, run, outcome, backend.name, fileOnly, t0);
      built.saveCheckpoint(path.join(out, MODEL_DIR)); // the trained model; checkpoint/ keeps the training state
      return finish(o, out, run, resolved, built, outcome, { name: backend.name, ...backend.details }, log, t0);
    } finally {
      bar?.stop();
      built.dispose();
    }
  } catch (e) {
    close();
    // A fresh run that failed before its first checkpoint leaves nothing behind (an interrupted or diverged one keeps its state).
    if (!(e instanceof RunEndedError) && !o.resume && !readManifest(checkpoint.dir)) removeRun(out, existed, run.file);
    throw e;
  } finally {
    close();
  }
}

/** Remove what a failed run wrote into `out` (not `keep`, the input config); the folder too if this run made it and it is empty. */
function removeRun(out: string, existed: boolean, keep: string): void {
  for (const f of RUN_ARTIFACTS) {
    const p = path.join(out, f);
    if (path.resolve(p) !== path.resolve(keep)) fs.rmSync(p, { recursive: true, force: true });
  }
  if (!existed && fs.existsSync(out) && fs.readdirSync(out).length === 0) fs.rmdirSync(out);
}

/** An interrupted or diverged run: metrics.json with its status and the losses so far; the message says what next. */
function endEarly(
  o: RunOptions,
  out: string,
  run: PreparedRun,
  outcome: TrainOutcome,
  backend: string,
  logFile: (line: string) => void,
  t0: number,
): never {
  const metrics = {
    experiment: run.name,
    seed: run.seed,
    backend,
    ...trainingMetrics(outcome),
    trainSeconds: outcome.seconds,
    wallSeconds: (Date.now() - t0) / 1000,
  };
  writeJson(path.join(out, 'metrics.json'), metrics);
  const ckpt = path.join(displayPath(out), 'checkpoint');
  if (outcome.status === 'interrupted') {
    const reason = o.signal?.reason;
    const msg = `interrupted (${String(reason ?? 'signal')}) after ${outcome.history.loss.length} steps; checkpoint saved in ${ckpt}. Resume with: ${resumeCommand(o)}`;
    logFile(msg);
    throw new RunEndedError(msg, signalExitCode(reason));
  }
  const d = outcome.divergence!;
  const good = lastGood(outcome);
  const saved = readManifest(path.join(out, 'checkpoint'));
  const msg =
    `training diverged: loss term '${d.term}' became ${d.value} at step ${d.step + 1} (${d.phase}); ` +
    (good.step >= 0
      ? `the last good step was ${good.step + 1} (loss ${good.loss.toExponential(3)})`
      : 'no step had a finite loss') +
    (saved ? `; ${ckpt} holds the checkpoint of step ${saved.step}` : '; no checkpoint was written before it') +
    `. Lower training.adam.lr, or look for log, sqrt or division by values that reach zero in '${d.term}'.`;
  logFile(msg);
  throw new RunEndedError(msg, EXIT.diverged);
}

/** A completed run: scores, metrics.json (status 'completed'), the report. */
function finish(
  o: RunOptions,
  out: string,
  run: PreparedRun,
  resolved: Record<string, unknown>,
  built: ReturnType<ProblemAdapter['build']>,
  outcome: TrainOutcome,
  backend: Record<string, unknown>,
  log: RunLog,
  t0: number,
): RunSummary {
  const exp = run.experiment;
  const solution = { ...built.solution(), reference: run.reference };
  const gridN = exp.report.grid;
  const evaluation = evaluateOnGrid(solution, gridN);
  const baselines = runBaselines(exp.baselines, solution, exp.report.slices);
  const fileErrors = run.referenceGrid ? scoreGrid(solution, run.referenceGrid) : undefined;
  const coefficients = coefficientMetrics(built.coefficients(), run.parsed.trainable, exp.truth);
  const windows = outcome.trace?.windows
    ? windowErrors(evaluation, outcome.trace.windows, solution.outputs, solution.inputs.length - 1)
    : undefined;
  const metrics: Record<string, unknown> = {
    experiment: run.name,
    seed: run.seed,
    quick: o.quick ?? false,
    backend,
    ...(run.parsed.engine ? { engine: run.parsed.engine } : {}),
    ...trainingMetrics(outcome),
    ...(run.referenceLabel ? { reference: run.referenceLabel } : {}),
    errors: { grid: `${gridN} points per axis`, ...evaluation.errors },
    ...(fileErrors
      ? { fileErrors: { file: run.referenceGrid!.file, points: run.referenceGrid!.n, ...fileErrors } }
      : {}),
    ...(coefficients ? { coefficients } : {}),
    ...(baselines.metrics ? { baselines: baselines.metrics } : {}),
    ...(windows?.length ? { windowErrors: windows } : {}),
    trainSeconds: outcome.seconds,
    wallSeconds: (Date.now() - t0) / 1000,
  };
  writeJson(path.join(out, 'metrics.json'), metrics);
  const report = buildPdeReport({
    title: `pde-lab: ${run.name}`,
    description: exp.description + (run.referenceLabel ? `\n\nReference: ${run.referenceLabel}.` : ''),
    source: exp.source,
    solution,
    evaluation,
    history: outcome.history,
    phases: outcome.phases,
    coefficients: outcome.coefficients,
    truth: exp.truth,
    metrics: reportMetrics(metrics),
    slices: exp.report.slices,
    baselineCurves: baselines.curves,
    comparison: baselines.table,
    trace: outcome.trace,
    windowErrors: windows,
    config: resolved,
  });
  report.write(out);
  const summary = Object.entries(evaluation.errors).map(
    ([k, e]) => `${k}: rel L2 ${e.relL2.toExponential(3)}, max ${e.maxAbs.toExponential(3)}`,
  );
  const coef = coefficients
    ? Object.entries(coefficients).map(
        ([k, v]) => `${k} = ${v.learned.toPrecision(6)}${v.true !== undefined ? ` (true ${v.true})` : ''}`,
      )
    : [];
  log.line(
    `done in ${(metrics.wallSeconds as number).toFixed(1)} s; ${[...summary, ...coef].join('; ') || 'no reference'}; results in ${out}`,
  );
  return { out, metrics };
}

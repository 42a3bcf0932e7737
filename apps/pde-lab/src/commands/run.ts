/**
 * `pde-lab run`: validate an experiment, train it, and write its results folder
 * `<out>/{config.json, metrics.json, report.html, checkpoint/, log.txt}`.
 *
 * Order matters: everything that can be checked without training (experiment file, problem config,
 * references, results folder) is checked before the backend starts, so a bad config or an earlier
 * run fails in a second, not after training.
 */
import * as path from 'node:path';
import { initBackend, type BackendChoice } from '@aml/core';
import type { ParsedProblem, ProblemAdapter } from '../adapter/contract';
import { checkFtcs } from '../baselines/ftcs';
import { checkPoisson1d } from '../baselines/poisson1d';
import { runBaselines } from '../baselines/run-baselines';
import { loadExperiment, EXPERIMENTS_DIR, ConfigError } from '../experiments/catalog';
import { deepMerge } from '../experiments/merge';
import type { Experiment } from '../experiments/schema';
import { openRunLog, prepareResultsDir, writeJson } from '@aml/plot';
import { progressCallback } from '../progress/progress';
import { buildReference, type ReferenceFn } from '../references/reference';
import { observationsFrom } from '../references/observe';
import { column, componentErrors, type ComponentErrors } from '../eval/errors';
import { gridPoints, matchColumns, readReferenceGrid, type ReferenceGrid } from '../eval/reference-grid';
import { evaluateOnGrid } from '../report/evaluate';
import type { SolutionView } from '../report/solution';
import { buildPdeReport } from '../report/pde-report';

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
  /** Where experiment names are looked up (default experiments/pde). */
  readonly experimentsDir?: string;
  /** Echo of log lines (default stderr; null for silence). */
  readonly echo?: ((line: string) => void) | null;
  /** Seconds between progress lines (default 5). */
  readonly progressEvery?: number;
}

/** What a finished run reports back. */
export interface RunSummary {
  readonly out: string;
  readonly metrics: Record<string, unknown>;
}

/** A run fully checked and ready to train: the problem config it trains and everything derived from it. */
export interface PreparedRun {
  readonly name: string;
  readonly file: string;
  readonly experiment: Experiment;
  readonly seed: number;
  /** The problem config this run trains (quick, steps, seed and observations applied). */
  readonly problem: unknown;
  readonly parsed: ParsedProblem;
  /** A reference grid file (problem.reference.file), read and checked before training. */
  readonly referenceGrid?: ReferenceGrid;
  /** The reference the network is scored against, if any. */
  readonly reference?: ReferenceFn;
  readonly referenceLabel?: string;
}

/** The problem config with --quick, --steps and the seed applied (the full config is validated first under --quick). */
function resolveProblem(exp: Experiment, o: RunOptions, adapter: ProblemAdapter, where: string): { problem: unknown; seed: number } {
  let problem: unknown = exp.problem;
  if (o.quick) {
    // The full config must be valid too, not only its quick version: a quick run is how tests check every config.
    adapter.parse(problem, where);
    problem = exp.quick ? deepMerge(problem, exp.quick) : adapter.quick(problem);
  }
  if (o.steps !== undefined) {
    if (!Number.isInteger(o.steps) || o.steps < 1) throw new ConfigError(`--steps must be a positive integer, got ${o.steps}`);
    problem = adapter.withSteps(problem, o.steps);
  }
  const seed = o.seed ?? exp.seed ?? adapter.seedOf(problem) ?? 0;
  return { problem: adapter.withSeed(problem, seed), seed };
}

/** The reference to score against: the problem's own, or the app's classical one (never both). */
function resolveReference(exp: Experiment, parsed: ParsedProblem, file: string): { reference?: ReferenceFn; label?: string } {
  if (!exp.reference) return { reference: parsed.reference, label: parsed.referenceLabel };
  if (parsed.reference) throw new ConfigError(`${file}: the reference is given twice (reference and problem.reference); keep one`);
  try {
    const reference = buildReference(exp.reference, parsed);
    return { reference, label: exp.reference.type === 'ode' ? 'ODE system by adaptive RK45' : `method of lines (${exp.reference.nx} cells, RK45)` };
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as Error).message}`);
  }
}

/** Checks of the app's settings against the parsed problem: slices, truth, baselines, a reference file. */
function checkSettings(exp: Experiment, parsed: ParsedProblem, file: string): ReferenceGrid | undefined {
  if (exp.report.slices && !parsed.inputs.includes(exp.report.slices.axis)) {
    throw new ConfigError(`${file}: report.slices.axis '${exp.report.slices.axis}' is not an input; use one of ${parsed.inputs.join(', ')}`);
  }
  for (const k of Object.keys(exp.truth ?? {})) {
    if (!parsed.trainable.includes(k)) {
      throw new ConfigError(`${file}: truth names '${k}', which is not a trainable coefficient; trainable: ${parsed.trainable.join(', ') || '(none)'}`);
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
    throw new ConfigError(`${file}: FTCS baselines are compared on report.slices; add e.g. "slices": { "axis": "t", "at": [0.05, 0.5] }`);
  }
  if (!parsed.referenceFile) return undefined;
  // Relative to the config file, so an experiment and its data file travel together.
  const grid = readReferenceGrid(path.resolve(path.dirname(file), parsed.referenceFile), [...parsed.inputs, ...parsed.outputs]);
  matchColumns(grid, parsed.inputs, parsed.outputs);
  return grid;
}

/**
 * Load and check everything about a run without training: the experiment file, the problem config
 * (with --quick, --steps, --seed), the reference, the observations, the report settings.
 */
export function prepareRun(o: RunOptions, adapter: ProblemAdapter): PreparedRun {
  const loaded = loadExperiment(o.experiment, o.experimentsDir ?? EXPERIMENTS_DIR);
  const exp = loaded.experiment;
  const where = `${path.relative(process.cwd(), loaded.file) || loaded.file}: problem`;
  const resolved = resolveProblem(exp, o, adapter, where);
  const seed = resolved.seed;
  let problem = resolved.problem;
  let parsed = adapter.parse(problem, where);
  const { reference, label } = resolveReference(exp, parsed, loaded.file);
  if (exp.observe) {
    if (!reference) throw new ConfigError(`${loaded.file}: observe needs a reference to observe; add reference (or problem.reference)`);
    const obs = observationsFrom(reference, parsed, exp.observe);
    problem = adapter.withObservations(problem, obs.points, obs.values, exp.observe.weight);
    parsed = adapter.parse(problem, where);
  }
  const referenceGrid = checkSettings(exp, parsed, loaded.file);
  // The name: the experiment's, else the problem's (a sweep's run folders hold a config.json), else the file's.
  const pname = (exp.problem as { name?: unknown }).name;
  const name = exp.name ?? (typeof pname === 'string' && pname ? pname : loaded.name);
  return { name, file: loaded.file, experiment: exp, seed, problem, parsed, reference, referenceLabel: label, referenceGrid };
}

/** Train one experiment and write its results folder. */
export async function runExperiment(o: RunOptions, adapter: ProblemAdapter): Promise<RunSummary> {
  const t0 = Date.now();
  const run = prepareRun(o, adapter);
  const exp = run.experiment;
  const out = path.resolve(o.out ?? path.join('results', run.name));
  prepareResultsDir(out, o.force ?? false, [run.file]);
  const log = openRunLog(path.join(out, 'log.txt'), { echo: o.echo });
  try {
    const backend = await initBackend({ backend: o.backend ?? 'auto', log: (l) => log.line(l) });
    log.line(`run ${run.name} (${path.relative(process.cwd(), run.file) || run.file}) seed ${run.seed}${o.quick ? ' --quick' : ''} -> ${out}`);
    // The resolved experiment is itself a valid experiment file: `pde-lab run <out>/config.json` repeats the run.
    const resolved = { ...exp, name: run.name, seed: run.seed, problem: run.problem, quick: undefined, observe: undefined };
    if (path.resolve(run.file) !== path.join(out, 'config.json')) writeJson(path.join(out, 'config.json'), resolved);

    const built = adapter.build(run.parsed);
    try {
      const outcome = await built.train({
        callbacks: (phase) => [progressCallback({ write: (l) => log.line(l), phase, everySeconds: o.progressEvery })],
        log: (l) => log.line(l),
      });
      built.saveCheckpoint(path.join(out, 'checkpoint'));

      const solution = { ...built.solution(), reference: run.reference };
      // A quick run only checks the pipeline: a coarse grid keeps it to seconds.
      const gridN = o.quick ? Math.min(exp.report.grid, 21) : exp.report.grid;
      const evaluation = evaluateOnGrid(solution, gridN);
      const baselines = runBaselines(exp.baselines, solution, exp.report.slices);
      const fileErrors = run.referenceGrid ? scoreGrid(solution, run.referenceGrid) : undefined;
      const coefficients = coefficientMetrics(built.coefficients(), run.parsed.trainable, exp.truth);
      const last = (a: readonly number[]) => (a.length ? a[a.length - 1] : NaN);
      const metrics: Record<string, unknown> = {
        experiment: run.name,
        seed: run.seed,
        quick: o.quick ?? false,
        backend: { name: backend.name, ...backend.details },
        ...(run.parsed.engine ? { engine: run.parsed.engine } : {}),
        steps: outcome.history.loss.length,
        phases: outcome.phases,
        stopReason: outcome.history.stopReason,
        finalLoss: last(outcome.history.loss),
        finalTerms: Object.fromEntries(Object.entries(outcome.history.terms).map(([k, v]) => [k, last(v)])),
        ...(run.referenceLabel ? { reference: run.referenceLabel } : {}),
        errors: { grid: `${gridN} points per axis`, ...evaluation.errors },
        ...(fileErrors ? { fileErrors: { file: run.referenceGrid!.file, points: run.referenceGrid!.n, ...fileErrors } } : {}),
        ...(coefficients ? { coefficients } : {}),
        ...(baselines.metrics ? { baselines: baselines.metrics } : {}),
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
        config: resolved,
      });
      report.write(out);
      const summary = Object.entries(evaluation.errors).map(([k, e]) => `${k}: rel L2 ${e.relL2.toExponential(3)}, max ${e.maxAbs.toExponential(3)}`);
      const coef = coefficients ? Object.entries(coefficients).map(([k, v]) => `${k} = ${v.learned.toPrecision(6)}${v.true !== undefined ? ` (true ${v.true})` : ''}`) : [];
      log.line(`done in ${(metrics.wallSeconds as number).toFixed(1)} s; ${[...summary, ...coef].join('; ') || 'no reference'}; results in ${out}`);
      return { out, metrics };
    } finally {
      built.dispose();
    }
  } finally {
    log.close();
  }
}

/** Errors of the solution on the points of a reference grid file, per output the file has. */
function scoreGrid(s: SolutionView, grid: ReferenceGrid): Record<string, ComponentErrors> {
  const present = matchColumns(grid, s.inputs, s.outputs);
  const pred = s.predict(gridPoints(grid, s.inputs));
  const m = s.outputs.length;
  return Object.fromEntries(present.map((o) => [o, componentErrors(column(pred, m, s.outputs.indexOf(o)), grid.columns[o])]));
}

/** The metrics table of the report: metrics.json without what the report shows elsewhere (baselines have their table). */
function reportMetrics(m: Record<string, unknown>): Record<string, unknown> {
  const { baselines: _b, phases, ...rest } = m;
  const ph = (phases as { name: string; steps: number; seconds: number; stopReason: string }[]) ?? [];
  return {
    ...rest,
    phases: Object.fromEntries(ph.map((p) => [p.name, `${p.steps} steps in ${p.seconds.toFixed(1)} s (${p.stopReason})`])),
  };
}

/** Learned coefficients (trainable only) with their relative error when the true value is known. */
function coefficientMetrics(
  values: Readonly<Record<string, number>>,
  trainable: readonly string[],
  truth: Readonly<Record<string, number>> | undefined,
): Record<string, { learned: number; true?: number; relError?: number }> | undefined {
  if (trainable.length === 0) return undefined;
  return Object.fromEntries(
    trainable.map((k) => {
      const t = truth?.[k];
      return [k, t === undefined ? { learned: values[k] } : { learned: values[k], true: t, relError: Math.abs(values[k] - t) / Math.abs(t) }];
    }),
  );
}

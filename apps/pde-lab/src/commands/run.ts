/**
 * `pde-lab run`: validate an experiment, train it, and write its results folder
 * `<out>/{config.json, metrics.json, report.html, checkpoint/, log.txt}`.
 *
 * Order matters: everything that can be checked without tensors (experiment file, problem config,
 * results folder) is checked before the backend starts, so a bad config or an earlier run fails in
 * a second, not after training.
 */
import * as path from 'node:path';
import { initBackend, Rng, type BackendChoice } from '@aml/core';
import type { ProblemAdapter } from '../adapter/contract';
import { runBaselines } from '../baselines/run-baselines';
import { loadExperiment, EXPERIMENTS_DIR } from '../experiments/catalog';
import { deepMerge } from '../experiments/merge';
import type { Experiment } from '../experiments/schema';
import { prepareResultsDir, writeJson } from '../run-folder/folder';
import { openRunLog } from '../run-folder/log';
import { progressCallback } from '../progress/progress';
import { evaluateOnGrid } from '../report/evaluate';
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

/** The problem config this run trains: the experiment's, with `--quick` and `--steps` applied. */
export function resolveProblem(exp: Experiment, o: Pick<RunOptions, 'quick' | 'steps'>, adapter: ProblemAdapter): unknown {
  let problem: unknown = exp.problem;
  if (o.quick) problem = exp.quick ? deepMerge(problem, exp.quick) : adapter.quick(problem);
  if (o.steps !== undefined) {
    if (!Number.isInteger(o.steps) || o.steps < 1) throw new Error(`--steps must be a positive integer, got ${o.steps}`);
    problem = adapter.withSteps(problem, o.steps);
  }
  return problem;
}

/** Train one experiment and write its results folder. */
export async function runExperiment(o: RunOptions, adapter: ProblemAdapter): Promise<RunSummary> {
  const t0 = Date.now();
  const loaded = loadExperiment(o.experiment, o.experimentsDir ?? EXPERIMENTS_DIR);
  const exp = loaded.experiment;
  const name = exp.name ?? loaded.name;
  const problemConfig = resolveProblem(exp, o, adapter);
  const parsed = adapter.parse(problemConfig, `${loaded.file}: problem`);
  const seed = o.seed ?? exp.seed;
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${o.seed}`);
  if (exp.report.slices && !parsed.inputs.includes(exp.report.slices.axis)) {
    throw new Error(`${loaded.file}: report.slices.axis '${exp.report.slices.axis}' is not an input; use one of ${parsed.inputs.join(', ')}`);
  }

  const out = path.resolve(o.out ?? path.join('results', name));
  prepareResultsDir(out, o.force ?? false, [loaded.file]);
  const log = openRunLog(path.join(out, 'log.txt'), { echo: o.echo });
  try {
    const backend = await initBackend({ backend: o.backend ?? 'auto', log: (l) => log.line(l) });
    log.line(`run ${name} (${path.relative(process.cwd(), loaded.file) || loaded.file}) seed ${seed}${o.quick ? ' --quick' : ''} -> ${out}`);
    // The resolved experiment is itself a valid experiment file: `pde-lab run <out>/config.json` repeats the run.
    const resolved = { ...exp, name, seed, problem: problemConfig, quick: undefined };
    if (path.resolve(loaded.file) !== path.join(out, 'config.json')) writeJson(path.join(out, 'config.json'), resolved);

    const built = adapter.build(parsed, new Rng(seed));
    try {
      const tTrain = Date.now();
      const outcome = await built.train({
        callbacks: (phase) => [progressCallback({ write: (l) => log.line(l), phase, everySeconds: o.progressEvery })],
        log: (l) => log.line(l),
      });
      const trainSeconds = (Date.now() - tTrain) / 1000;
      built.saveCheckpoint(path.join(out, 'checkpoint'));

      const solution = built.solution();
      // A quick run only checks the pipeline: a coarse grid keeps it to seconds.
      const gridN = o.quick ? Math.min(exp.report.grid, 21) : exp.report.grid;
      const evaluation = evaluateOnGrid(solution, gridN);
      const baselines = runBaselines(exp.baselines, solution, exp.report.slices);
      const coefficients = built.coefficients();
      const last = (a: readonly number[]) => (a.length ? a[a.length - 1] : NaN);
      const metrics: Record<string, unknown> = {
        experiment: name,
        seed,
        quick: o.quick ?? false,
        backend: { name: backend.name, ...backend.details },
        steps: outcome.history.loss.length,
        phases: outcome.phases,
        stopReason: outcome.history.stopReason,
        finalLoss: last(outcome.history.loss),
        finalTerms: Object.fromEntries(Object.entries(outcome.history.terms).map(([k, v]) => [k, last(v)])),
        errors: { grid: `${gridN} points per axis`, ...evaluation.errors },
        ...(Object.keys(coefficients).length ? { coefficients: withRelErrors(coefficients) } : {}),
        ...(baselines.metrics ? { baselines: baselines.metrics } : {}),
        trainSeconds,
        wallSeconds: (Date.now() - t0) / 1000,
      };
      writeJson(path.join(out, 'metrics.json'), metrics);
      const report = buildPdeReport({
        title: `${name}: ${exp.description}`,
        description: exp.description,
        source: exp.source,
        solution,
        evaluation,
        history: outcome.history,
        phases: outcome.phases,
        metrics,
        slices: exp.report.slices,
        baselineCurves: baselines.curves,
        comparison: baselines.table,
        config: resolved,
      });
      report.write(out);
      const summary = Object.entries(evaluation.errors).map(([k, e]) => `${k}: rel L2 ${e.relL2.toExponential(3)}, max ${e.maxAbs.toExponential(3)}`);
      log.line(`done in ${metrics.wallSeconds as number} s; ${summary.join('; ') || 'no reference'}; results in ${out}`);
      return { out, metrics };
    } finally {
      built.dispose();
    }
  } finally {
    log.close();
  }
}

/** Learned coefficients with their relative error when the true value is known. */
function withRelErrors(c: Readonly<Record<string, { learned: number; true?: number }>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(c).map(([k, v]) => [k, v.true === undefined ? { learned: v.learned } : { ...v, relError: Math.abs(v.learned - v.true) / Math.abs(v.true) }]),
  );
}

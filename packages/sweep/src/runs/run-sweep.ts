/**
 * One sweep invocation: validate every run's config, plan (skip finished, retry failed on request,
 * leave live runs alone), write the run folders, hand the rest to an executor, and summarise.
 */
import { resolve } from 'node:path';
import type { Executor, ExecutorEvent, RunTask } from '../executors/executor';
import { expandSweep, type RunSpec } from '../spec/expand';
import type { JsonObject } from '../spec/paths';
import type { SweepSpec } from '../spec/spec';
import { runFiles, sweepPaths, writeJson, type RunStatus, type SweepPaths } from './layout';
import { lockSweep } from './lock';
import { planRuns, writeRunFolders, type PlannedRun } from './plan';

/** A run that did not succeed, as named in the summary. */
export interface FailedRun {
  /** Run id. */
  readonly id: string;
  /** Its varied values and seed. */
  readonly label: string;
  /** Exit code (null: killed, timed out, never exited). */
  readonly exitCode: number | null;
  /** Its log file. */
  readonly log: string;
  /** Scheduler detail (Slurm state, scheduler output file), if any. */
  readonly detail?: string;
}

/** What one invocation did; also written to `<sweep>/summary.json`. */
export interface SweepSummary {
  /** Sweep name. */
  readonly sweep: string;
  /** Sweep folder. */
  readonly dir: string;
  /** Executor used. */
  readonly executor: string;
  /** Runs in the sweep. */
  readonly total: number;
  /** Runs started by this invocation. */
  readonly ran: number;
  /** Runs skipped because they had finished before. */
  readonly skippedDone: number;
  /** Runs skipped because they are still queued or running elsewhere. */
  readonly skippedActive: number;
  /** Runs that succeeded in this invocation. */
  readonly succeeded: number;
  /** Runs queued and not waited for (detached Slurm submission). */
  readonly queued: number;
  /** Runs that failed in this invocation, and earlier failures not retried (use retryFailed). */
  readonly failed: readonly FailedRun[];
  /** Earlier failures skipped because retryFailed was off. */
  readonly failedNotRetried: readonly FailedRun[];
  /** Wall time of the invocation in seconds. */
  readonly wallSeconds: number;
}

/** Options of `runSweep`. */
export interface RunSweepOptions {
  /** The validated sweep. */
  readonly spec: SweepSpec;
  /** Results folder (the sweep goes to `<resultsDir>/<spec.name>`). */
  readonly resultsDir: string;
  /** Where the runs execute. */
  readonly executor: Executor;
  /** Re-run runs that failed before. */
  readonly retryFailed?: boolean;
  /** Plan and write nothing; return the plan's counts. */
  readonly dryRun?: boolean;
  /** Directory the commands run from (default: this process's). */
  readonly cwd?: string;
  /** The app's own config check (e.g. its zod schema); throw to reject a config. Runs before anything is written. */
  readonly validateConfig?: (config: JsonObject) => void;
  /** Liveness check for queued/running runs (see `planRuns`). */
  readonly isActive?: (status: RunStatus) => boolean;
  /** Progress events. */
  readonly onEvent?: (e: ExecutorEvent) => void;
}

/** `network.layers=[20,20] training.points=2000 seed=1` */
export function runLabel(run: RunSpec): string {
  const parts = Object.entries(run.values).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [...parts, `seed=${run.seed}`].join(' ');
}

/**
 * Run (or resume) a sweep. One invocation per sweep at a time (a lock file in the sweep folder).
 * @throws before anything is written or submitted, when a config fails `validateConfig` (naming the run's values)
 *         or an existing run folder holds a different config.
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepSummary> {
  const t0 = performance.now();
  const { spec } = options;
  const runs = expandSweep(spec);
  // Everything that can be checked is checked before the lock or any file: bad input writes nothing.
  if (options.validateConfig) {
    const problems: string[] = [];
    for (const r of runs) {
      try {
        options.validateConfig(r.config);
      } catch (e) {
        problems.push(`run ${runLabel(r)}: ${(e as Error).message}`);
      }
    }
    if (problems.length > 0) throw new Error(`invalid sweep ${spec.name}: ${problems.length} config(s) rejected by the experiment:\n  ${problems.slice(0, 10).join('\n  ')}`);
  }
  const paths = sweepPaths(resolve(options.resultsDir), spec.name);
  if (options.dryRun) return planOnly(options, runs, paths, t0);
  const unlock = lockSweep(paths.dir);
  try {
    return await execute(options, runs, paths, t0);
  } finally {
    unlock();
  }
}

/** The counts a plan gives before anything runs. */
function planSummary(options: RunSweepOptions, runs: readonly RunSpec[], paths: SweepPaths, plan: readonly PlannedRun[]) {
  const failedBefore = (p: PlannedRun): FailedRun => ({
    id: p.run.id,
    label: runLabel(p.run),
    exitCode: p.previous?.exitCode ?? null,
    log: runFiles(p.dir).log,
    detail: p.previous?.slurmState ? `slurm ${p.previous.slurmState}` : undefined,
  });
  return {
    sweep: options.spec.name,
    dir: paths.dir,
    executor: options.executor.name,
    total: runs.length,
    skippedDone: plan.filter((p) => p.action === 'skip-done').length,
    skippedActive: plan.filter((p) => p.action === 'skip-active').length,
    failedNotRetried: plan.filter((p) => p.action === 'skip-failed').map(failedBefore),
  };
}

/** A dry run: the plan's counts (`queued` = runs that would start); nothing is written. */
function planOnly(options: RunSweepOptions, runs: readonly RunSpec[], paths: SweepPaths, t0: number): SweepSummary {
  const plan = planRuns(runs, paths, { retryFailed: options.retryFailed, isActive: options.isActive });
  const queued = plan.filter((p) => p.action === 'run').length;
  return { ...planSummary(options, runs, paths, plan), ran: 0, succeeded: 0, queued, failed: [], wallSeconds: (performance.now() - t0) / 1000 };
}

/** Plan and execute, with the sweep's lock held. */
async function execute(options: RunSweepOptions, runs: readonly RunSpec[], paths: SweepPaths, t0: number): Promise<SweepSummary> {
  const plan = planRuns(runs, paths, { retryFailed: options.retryFailed, isActive: options.isActive });
  const base = planSummary(options, runs, paths, plan);
  writeRunFolders(options.spec, paths, plan, resolve(options.cwd ?? process.cwd()));
  const tasks: RunTask[] = plan
    .filter((p) => p.action === 'run')
    .map((p) => ({ id: p.run.id, dir: p.dir, script: runFiles(p.dir).script, label: runLabel(p.run) }));
  const outcomes = await options.executor.execute(tasks, paths.dir, options.onEvent);
  const labels = new Map(tasks.map((t) => [t.id, t.label]));
  const summary: SweepSummary = {
    ...base,
    ran: tasks.length,
    succeeded: outcomes.filter((o) => o.state === 'done').length,
    queued: outcomes.filter((o) => o.state === 'queued').length,
    failed: outcomes
      .filter((o) => o.state === 'failed')
      .map((o) => ({ id: o.id, label: labels.get(o.id) ?? o.id, exitCode: o.exitCode, log: o.log, detail: o.detail })),
    wallSeconds: (performance.now() - t0) / 1000,
  };
  writeJson(paths.summary, summary);
  return summary;
}

/** The summary as text lines for a terminal: counts, then each failed run with its exit code and log. */
export function formatSummary(s: SweepSummary): string {
  const lines = [
    `sweep ${s.sweep} (${s.executor}): ${s.total} runs; ran ${s.ran}, succeeded ${s.succeeded}, failed ${s.failed.length}` +
      `${s.queued ? `, queued ${s.queued}` : ''}; skipped ${s.skippedDone} finished, ${s.skippedActive} in progress, ${s.failedNotRetried.length} failed earlier; ${s.wallSeconds.toFixed(1)} s`,
    `results: ${s.dir}`,
  ];
  for (const f of s.failed) lines.push(`FAILED ${f.id} (${f.label}): exit code ${f.exitCode ?? 'none'}${f.detail ? `, ${f.detail}` : ''}; log ${f.log}`);
  for (const f of s.failedNotRetried) lines.push(`failed earlier, not retried ${f.id} (${f.label}): exit code ${f.exitCode ?? 'none'}; log ${f.log} (use --retry-failed)`);
  return lines.join('\n');
}

/**
 * One sweep invocation: validate every run's config, plan (skip finished, retry failed on request,
 * leave live runs alone), write the run folders, hand the rest to an executor, and summarise.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJson } from '@aml/core/node';
import type { Executor, ExecutorEvent, FollowTask, RunOutcome, RunTask } from '../executors/executor';
import { expandSweep, type RunSpec } from '../spec/expand';
import type { JsonObject } from '../spec/paths';
import type { SweepSpec } from '../spec/spec';
import { readStatus, runFiles, sweepPaths, type RunStatus, type SweepPaths } from './layout';
import { lockSweep } from './lock';
import { planRuns, writeRunFolders, type PlanAction, type PlannedRun } from './plan';

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
  /** Runs an earlier invocation started that this one waited for (`follow`), however they ended. */
  readonly followed: number;
  /** Runs of the sweep without a final result (queued, running, preempted, interrupted, never started) when the invocation returned. */
  readonly unfinished: number;
  /** Runs stopped by a signal and not requeued (they continue from their checkpoint next time); part of `unfinished`. */
  readonly preempted: number;
  /** True when every run of the sweep has ended (done or failed): a table over it is complete. */
  readonly complete: boolean;
  /** Wall time of the invocation in seconds. */
  readonly wallSeconds: number;
  /** Dry run only: every run with what would happen to it. */
  readonly planned?: readonly { readonly id: string; readonly label: string; readonly action: PlanAction }[];
  /** Dry run only: what the executor would submit (the sbatch script). */
  readonly preview?: string;
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
  /** Plan and write nothing; return the plan's counts, every run and the executor's preview. */
  readonly dryRun?: boolean;
  /** Submit nothing new: only wait for the runs earlier invocations started (default false). */
  readonly attachOnly?: boolean;
  /** Wait for runs earlier invocations started and are still alive (default true; false for a detached submission). */
  readonly followActive?: boolean;
  /** Executors that can follow runs started by others (matched by name to each run's status), besides `executor`. */
  readonly followers?: readonly Executor[];
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
 * Runs that earlier invocations started and that are still queued or running are waited for too,
 * so the summary (and a table collected after it) covers the whole sweep; `complete` says whether it does.
 * @throws before anything is written or submitted, when a config fails `validateConfig` (naming the run's values),
 *         an existing run folder holds a different config, or the executor's pre-flight check refuses the runs;
 *         when the submission itself fails, whatever this invocation wrote for it is removed.
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
    if (problems.length > 0)
      throw new Error(
        `invalid sweep ${spec.name}: ${problems.length} config(s) rejected by the experiment:\n  ${problems.slice(0, 10).join('\n  ')}`,
      );
  }
  const paths = sweepPaths(resolve(options.resultsDir), spec.name);
  if (options.dryRun) return planOnly(options, runs, paths, t0);
  // Liveness is asked once per run (a squeue call each for Slurm runs), for the pre-flight plan and the real one.
  const known = new Map<string, boolean>();
  const ask = options.isActive;
  const isActive =
    ask &&
    ((st: RunStatus) => {
      const k = JSON.stringify(st);
      if (!known.has(k)) known.set(k, ask(st));
      return known.get(k)!;
    });
  options = { ...options, isActive };
  const preflight = planRuns(runs, paths, { retryFailed: options.retryFailed, isActive });
  const toStart = options.attachOnly ? [] : tasksOf(preflight.filter((p) => p.action === 'run'));
  if (toStart.length > 0 && options.executor.check) await options.executor.check(toStart, paths.dir);
  const existed = existsSync(paths.dir);
  const unlock = lockSweep(paths.dir);
  try {
    return await execute(options, runs, paths, t0);
  } catch (e) {
    removeUnsubmitted(paths, existed);
    throw e;
  } finally {
    unlock();
  }
}

/** The executor tasks of planned runs. */
function tasksOf(plan: readonly PlannedRun[]): RunTask[] {
  return plan.map((p) => ({
    id: p.run.id,
    dir: p.dir,
    script: runFiles(p.dir).script,
    label: runLabel(p.run),
    values: p.run.values,
    seed: p.run.seed,
  }));
}

/**
 * After a failed submission: remove run folders that never got a status (nothing was submitted for
 * them), and the whole sweep folder when this invocation created it and no run ever started.
 */
function removeUnsubmitted(paths: SweepPaths, existed: boolean): void {
  if (!existsSync(paths.runs)) {
    if (!existed) rmSync(paths.dir, { recursive: true, force: true });
    return;
  }
  let left = 0;
  for (const id of readdirSync(paths.runs)) {
    const dir = join(paths.runs, id);
    if (existsSync(runFiles(dir).status)) left++;
    else if (!existsSync(runFiles(dir).metrics)) rmSync(dir, { recursive: true, force: true });
    else left++;
  }
  if (!existed && left === 0) rmSync(paths.dir, { recursive: true, force: true });
}

/** The counts a plan gives before anything runs. */
function planSummary(
  options: RunSweepOptions,
  runs: readonly RunSpec[],
  paths: SweepPaths,
  plan: readonly PlannedRun[],
) {
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

/** A dry run: the plan's counts (`queued` = runs that would start), every run, the executor's preview; nothing is written. */
function planOnly(options: RunSweepOptions, runs: readonly RunSpec[], paths: SweepPaths, t0: number): SweepSummary {
  const plan = planRuns(runs, paths, { retryFailed: options.retryFailed, isActive: options.isActive });
  const starting = options.attachOnly ? [] : plan.filter((p) => p.action === 'run');
  const notDone = plan.filter((p) => p.action !== 'skip-done' && p.action !== 'skip-failed').length;
  return {
    ...planSummary(options, runs, paths, plan),
    ran: 0,
    succeeded: 0,
    queued: starting.length,
    failed: [],
    followed: 0,
    unfinished: notDone,
    preempted: 0,
    complete: notDone === 0,
    wallSeconds: (performance.now() - t0) / 1000,
    planned: plan.map((p) => ({ id: p.run.id, label: runLabel(p.run), action: p.action })),
    preview: starting.length > 0 ? options.executor.preview?.(tasksOf(starting), paths.dir) : undefined,
  };
}

/** Follow the runs earlier invocations started, each with the executor named in its status. */
async function followActive(
  options: RunSweepOptions,
  plan: readonly PlannedRun[],
  sweepDir: string,
): Promise<RunOutcome[]> {
  if (options.followActive === false) return [];
  const active = plan.filter((p) => p.action === 'skip-active' && p.previous);
  const executors = [options.executor, ...(options.followers ?? [])];
  const groups = new Map<Executor, FollowTask[]>();
  for (const p of active) {
    const ex = executors.find((e) => e.name === (p.previous!.executor ?? 'local') && e.follow);
    if (!ex) continue;
    if (!groups.has(ex)) groups.set(ex, []);
    groups.get(ex)!.push({ ...tasksOf([p])[0], status: p.previous! });
  }
  const outcomes = await Promise.all([...groups].map(([ex, ts]) => ex.follow!(ts, sweepDir, options.onEvent)));
  return outcomes.flat();
}

/** Plan and execute, with the sweep's lock held. */
async function execute(
  options: RunSweepOptions,
  runs: readonly RunSpec[],
  paths: SweepPaths,
  t0: number,
): Promise<SweepSummary> {
  const plan = planRuns(runs, paths, { retryFailed: options.retryFailed, isActive: options.isActive });
  const base = planSummary(options, runs, paths, plan);
  const starting = options.attachOnly ? [] : plan.filter((p) => p.action === 'run');
  writeRunFolders(options.spec, paths, options.attachOnly ? [] : plan, resolve(options.cwd ?? process.cwd()));
  const tasks = tasksOf(starting);
  const [outcomes, followed] = await Promise.all([
    options.executor.execute(tasks, paths.dir, options.onEvent),
    followActive(options, plan, paths.dir),
  ]);
  const labels = new Map(tasksOf(plan).map((t) => [t.id, t.label]));
  const all = [...outcomes, ...followed];
  // Completeness is read from disk: every run of the sweep, whoever started it.
  const states = plan.map((p) => readStatus(p.dir)?.state);
  const unfinished = states.filter((s) => s !== 'done' && s !== 'failed').length;
  const summary: SweepSummary = {
    ...base,
    ran: tasks.length,
    followed: followed.length,
    succeeded: all.filter((o) => o.state === 'done').length,
    queued: all.filter((o) => o.state === 'queued').length,
    failed: all
      .filter((o) => o.state === 'failed')
      .map((o) => ({ id: o.id, label: labels.get(o.id) ?? o.id, exitCode: o.exitCode, log: o.log, detail: o.detail })),
    unfinished,
    preempted: states.filter((s) => s === 'preempted').length,
    complete: unfinished === 0,
    wallSeconds: (performance.now() - t0) / 1000,
  };
  writeJson(paths.summary, summary);
  return summary;
}

/** The summary as text lines for a terminal: counts, completeness, then each failed run with its exit code and log. */
export function formatSummary(s: SweepSummary): string {
  const lines = [
    `sweep ${s.sweep} (${s.executor}): ${s.total} runs; ran ${s.ran}, succeeded ${s.succeeded}, failed ${s.failed.length}` +
      `${s.queued ? `, queued ${s.queued}` : ''}${s.followed ? `; followed ${s.followed} started earlier` : ''}; skipped ${s.skippedDone} finished, ${s.skippedActive} in progress, ${s.failedNotRetried.length} failed earlier; ${s.wallSeconds.toFixed(1)} s`,
    `results: ${s.dir}`,
  ];
  if (!s.complete) {
    lines.push(
      `PARTIAL: ${s.unfinished} of ${s.total} runs have not finished${s.preempted ? ` (${s.preempted} preempted: the next invocation continues them from their checkpoints)` : ''}; ` +
        '`sweep status` shows where each is; `sweep run --attach` waits for them',
    );
  }
  for (const f of s.failed)
    lines.push(
      `FAILED ${f.id} (${f.label}): exit code ${f.exitCode ?? 'none'}${f.detail ? `, ${f.detail}` : ''}; log ${f.log}`,
    );
  for (const f of s.failedNotRetried)
    lines.push(
      `failed earlier, not retried ${f.id} (${f.label}): exit code ${f.exitCode ?? 'none'}; log ${f.log} (use --retry-failed)`,
    );
  return lines.join('\n');
}

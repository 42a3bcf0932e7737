/**
 * Deciding what a sweep invocation runs, and writing the run folders.
 * A finished run is never run again or overwritten; a failed run is re-run only on request;
 * a run still in progress (a live local process or a live Slurm task) is left alone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeJson } from '@aml/core/node';
import type { RunSpec } from '../spec/expand';
import { canonicalJson, type Json } from '../spec/paths';
import type { SweepSpec } from '../spec/spec';
import { readStatus, runFiles, type RunStatus, type SweepPaths } from './layout';
import { runScript } from './script';

/** What this invocation does with a run. */
export type PlanAction = 'run' | 'skip-done' | 'skip-failed' | 'skip-active';

/** One run and what happens to it. */
export interface PlannedRun {
  /** The run. */
  readonly run: RunSpec;
  /** Its folder (absolute). */
  readonly dir: string;
  /** What happens to it now. */
  readonly action: PlanAction;
  /** Its status before this invocation, if it ever started. */
  readonly previous?: RunStatus;
}

/** Options of `planRuns`. */
export interface PlanOptions {
  /** Re-run runs that failed before (default false: they are reported and skipped). */
  readonly retryFailed?: boolean;
  /** Whether a queued or running run is still alive (default: local pid check; Slurm runs are asked of `squeue`). */
  readonly isActive?: (status: RunStatus) => boolean;
}

/** Default liveness check: a local wrapper process on this host that still exists. */
export function localRunActive(status: RunStatus): boolean {
  if (status.executor === 'slurm' || status.pid === undefined || status.host !== hostname()) return false;
  try {
    process.kill(status.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Plan `runs` of `spec` in `paths`. Throws, before anything is written, when an existing run folder
 * holds a different config under the same id (the base config changed: start a new sweep name).
 */
export function planRuns(runs: readonly RunSpec[], paths: SweepPaths, options: PlanOptions = {}): PlannedRun[] {
  const isActive = options.isActive ?? localRunActive;
  const conflicts: string[] = [];
  const plan = runs.map((run): PlannedRun => {
    const dir = join(paths.runs, run.id);
    const f = runFiles(dir);
    if (existsSync(f.config)) {
      const old = JSON.parse(readFileSync(f.config, 'utf8')) as Json;
      if (canonicalJson(old) !== canonicalJson(run.config)) conflicts.push(run.id);
    }
    const previous = readStatus(dir);
    let action: PlanAction = 'run';
    if (previous?.state === 'done') action = 'skip-done';
    else if (previous?.state === 'failed') action = options.retryFailed ? 'run' : 'skip-failed';
    else if (previous && isActive(previous)) action = 'skip-active';
    return { run, dir, action, previous };
  });
  if (conflicts.length > 0) {
    throw new Error(
      `sweep folder ${paths.dir}: run(s) ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ', ...' : ''} already exist with a different config ` +
        '(the base config changed since they ran); finished runs are never overwritten: use a new sweep name',
    );
  }
  return plan;
}

/**
 * Write sweep.json and, for each run to execute, its folder: config.json, run.json, run.sh.
 * `cwd` is where every command runs from (the repository root, usually).
 */
export function writeRunFolders(spec: SweepSpec, paths: SweepPaths, plan: readonly PlannedRun[], cwd: string): void {
  mkdirSync(paths.runs, { recursive: true });
  writeJson(paths.record, {
    name: spec.name,
    baseFile: spec.baseFile ?? null,
    base: spec.base,
    parameters: spec.parameters,
    seeds: spec.seeds,
    seedPath: spec.seedPath,
    command: spec.command,
    cwd,
  });
  for (const p of plan) {
    const f = runFiles(p.dir);
    mkdirSync(p.dir, { recursive: true });
    if (!existsSync(f.config)) writeJson(f.config, p.run.config);
    writeJson(f.run, { id: p.run.id, index: p.run.index, values: p.run.values, seed: p.run.seed });
    if (p.action === 'run') {
      writeFileSync(f.script, runScript(p.run, p.dir, cwd, spec.command, spec.resume));
      chmodSync(f.script, 0o755);
    }
  }
}

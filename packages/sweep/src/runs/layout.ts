/**
 * The on-disk layout of a sweep, and each run's status record.
 *
 *   <resultsDir>/<sweep>/sweep.json            the sweep as run (base config, parameters, seeds, command)
 *   <resultsDir>/<sweep>/runs/<id>/config.json  the run's config; run.json (its varied values and seed)
 *   <resultsDir>/<sweep>/runs/<id>/run.sh       the per-run wrapper (same under every executor)
 *   <resultsDir>/<sweep>/runs/<id>/output.txt   everything the command printed; earlier failed attempts: output.attempt<N>.txt
 *   <resultsDir>/<sweep>/runs/<id>/status.json  state, exit code, timing, host (written by run.sh)
 *   <resultsDir>/<sweep>/runs/<id>/metrics.json written by the experiment itself
 *   <resultsDir>/<sweep>/slurm/                 job-array scripts and Slurm's own output per task
 *   <resultsDir>/<sweep>/summary.json, table.csv, table.json, report.html
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@aml/core/node';

/**
 * Where a run is in its life. `done` means the command exited 0. `preempted`: a signal (Slurm's
 * preemption or requeue, or the time-limit warning) stopped the command, which had the chance to
 * checkpoint; the run continues from its checkpoint when Slurm requeues it or the sweep runs again.
 */
export type RunState = 'queued' | 'running' | 'done' | 'failed' | 'preempted';

/** Contents of a run's status.json. */
export interface RunStatus {
  /** Current state. */
  readonly state: RunState;
  /** Exit code of the command (set when done or failed; null if killed before it could exit). */
  readonly exitCode?: number | null;
  /** Executor that ran it (`local` or `slurm`). */
  readonly executor?: string;
  /** Host it ran on. */
  readonly host?: string;
  /** Process id of the wrapper (local liveness checks). */
  readonly pid?: number;
  /** Slurm array job id, when run under Slurm. */
  readonly jobId?: string;
  /** Slurm array task index. */
  readonly task?: number;
  /** Slurm's final state for the task (COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED...). */
  readonly slurmState?: string;
  /** Start and end, milliseconds since the epoch. */
  readonly startedMs?: number;
  readonly finishedMs?: number;
  /** Attempt number (1 for the first). */
  readonly attempt?: number;
  /** Start and end of the command itself (the wrapper's own work is outside), milliseconds since the epoch. */
  readonly commandStartedMs?: number;
  readonly commandFinishedMs?: number;
  /** CPU seconds (user + system) of the command and every process it started, once it ended. */
  readonly cpuSeconds?: number;
  /** Signal that stopped the command (`TERM`, `USR1`...), when it was preempted. */
  readonly signal?: string;
  /** True when this attempt continued from the run's checkpoint. */
  readonly resumed?: boolean;
  /** Which sweep invocation submitted it: `<host>:<pid> <ISO time>`. */
  readonly submittedBy?: string;
  /** Slurm's reason while it waits (`Priority`, `Resources`, `PartitionConfig`...), as last seen. */
  readonly pendingReason?: string;
}

/** States after which a run will not change without a new invocation. */
export const FINAL_RUN_STATES: ReadonlySet<RunState> = new Set(['done', 'failed']);

/** This invocation, as recorded in `submittedBy`: `<host>:<pid> <ISO time>`. */
export const INVOCATION = `${hostname()}:${process.pid} ${new Date().toISOString()}`;

/** Paths of a sweep folder. */
export interface SweepPaths {
  /** The sweep folder. */
  readonly dir: string;
  /** sweep.json. */
  readonly record: string;
  /** Folder of run folders. */
  readonly runs: string;
  /** Folder of Slurm scripts and outputs. */
  readonly slurm: string;
  /** summary.json of the last invocation. */
  readonly summary: string;
}

/** The paths of sweep `name` under `resultsDir`. */
export function sweepPaths(resultsDir: string, name: string): SweepPaths {
  return pathsOf(join(resultsDir, name));
}

/** The paths of the sweep in folder `dir`. */
export function pathsOf(dir: string): SweepPaths {
  return {
    dir,
    record: join(dir, 'sweep.json'),
    runs: join(dir, 'runs'),
    slurm: join(dir, 'slurm'),
    summary: join(dir, 'summary.json'),
  };
}

/** Files of one run folder. */
export function runFiles(runDir: string) {
  return {
    config: join(runDir, 'config.json'),
    run: join(runDir, 'run.json'),
    script: join(runDir, 'run.sh'),
    // Not log.txt: apps write their own log.txt into the run folder (the results-folder convention).
    log: join(runDir, 'output.txt'),
    status: join(runDir, 'status.json'),
    metrics: join(runDir, 'metrics.json'),
  };
}

/** A run's status, or undefined when it never started (or the record is unreadable: treated as never started). */
export function readStatus(runDir: string): RunStatus | undefined {
  const f = runFiles(runDir).status;
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as RunStatus;
  } catch {
    return undefined;
  }
}

/** Write a run's status atomically (a reader never sees half a file). */
export function writeStatus(runDir: string, status: RunStatus): void {
  writeFileAtomic(runFiles(runDir).status, `${JSON.stringify(status)}\n`);
}

/**
 * The sbatch job-array script of a sweep: one array task per run, each running that run's
 * `run.sh` (the same wrapper the local executor runs).
 */
import { join } from 'node:path';
import type { RunTask } from '../executors/executor';
import { shellQuote } from '../runs/script';
import { timeLimitSeconds, type SlurmOptions } from './options';

/** `#SBATCH` option lines (without the prefix) for `opts`. */
export function sbatchOptions(opts: SlurmOptions): string[] {
  const lines: string[] = [];
  if (opts.partition) lines.push(`--partition=${opts.partition}`);
  if (opts.time) lines.push(`--time=${opts.time}`);
  if (opts.mem) lines.push(`--mem=${opts.mem}`);
  if (opts.cpusPerTask) lines.push(`--cpus-per-task=${opts.cpusPerTask}`);
  if (opts.gpus) lines.push(`--gres=gpu:${opts.gpuType ? `${opts.gpuType}:` : ''}${opts.gpus}`);
  if (opts.account) lines.push(`--account=${opts.account}`);
  if (opts.qos) lines.push(`--qos=${opts.qos}`);
  lines.push(...(opts.sbatchArgs ?? []));
  return lines;
}

/** Inputs of `arrayScript`. */
export interface ArrayScriptInput {
  /** Sweep name (the job name is `aml-<name>`). */
  readonly name: string;
  /** The runs, in array-index order. */
  readonly tasks: readonly RunTask[];
  /** Folder for Slurm's own per-task output (`%A_%a.out`). */
  readonly slurmDir: string;
  /** Working directory of the job. */
  readonly cwd: string;
  /** The user's Slurm settings. */
  readonly slurm: SlurmOptions;
}

/**
 * The job-array script text. Slurm's `#SBATCH` lines cannot quote, so paths with whitespace are refused.
 * @example arrayScript({ name: 'heat', tasks, slurmDir, cwd, slurm: { partition: 'short', time: '00:30:00' } })
 */
export function arrayScript(input: ArrayScriptInput): string {
  const { tasks, slurm } = input;
  if (tasks.length === 0) throw new Error('slurm: no runs to submit');
  for (const p of [input.slurmDir, input.cwd]) {
    if (/\s/.test(p))
      throw new Error(
        `slurm: path "${p}" contains whitespace, which #SBATCH lines cannot hold; use a results folder without spaces`,
      );
  }
  const throttle = slurm.maxParallel ? `%${slurm.maxParallel}` : '';
  const requeue = slurm.requeue ?? true;
  const limit = timeLimitSeconds(slurm.time);
  // The warning must come well inside the time limit, or a short task would be told to stop at once.
  const warn = Math.max(1, Math.min(slurm.signalSeconds ?? 120, limit ? Math.floor(limit / 5) : Infinity));
  const header = [
    `--job-name=aml-${input.name}`,
    `--array=0-${tasks.length - 1}${throttle}`,
    `--output=${join(input.slurmDir, '%A_%a.out')}`,
    `--chdir=${input.cwd}`,
    '--ntasks=1',
    // Requeued tasks append to Slurm's output file rather than truncate it.
    ...(requeue ? ['--requeue', `--signal=B:USR1@${warn}`, '--open-mode=append'] : ['--no-requeue']),
    ...sbatchOptions(slurm),
  ];
  return [
    '#!/bin/bash',
    `# Sweep ${input.name}: ${tasks.length} runs as one Slurm job array, written by @aml/sweep.`,
    ...header.map((h) => `#SBATCH ${h}`),
    '',
    "# Site setup (modules, environments), from the sweep's slurm.setup.",
    ...(slurm.setup ?? []),
    '',
    'export AML_SWEEP_EXECUTOR=slurm',
    `export AML_SWEEP_MAX_REQUEUES=${requeue ? (slurm.maxRequeues ?? 5) : 0}`,
    '# One run per array task; each run.sh records its own exit code and log.',
    'tasks=(',
    ...tasks.map((t) => `  ${shellQuote(t.script)}`),
    ')',
    'exec bash "${tasks[$SLURM_ARRAY_TASK_ID]}"',
    '',
  ].join('\n');
}

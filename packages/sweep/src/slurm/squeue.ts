/**
 * Reading Slurm's view of a job array without accounting (no `sacct`): `squeue -t all` for states
 * while the job is known, `scontrol -o show job` for each task's exit code.
 */

/** Slurm job states after which a task will not run again. */
export const TERMINAL_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'SPECIAL_EXIT',
]);

/** Task indices of an array index expression such as `0-3`, `2,5-7` or `0-9%2` (throttle dropped). */
export function parseIndexRange(text: string): number[] {
  const out: number[] = [];
  for (const part of text
    .replace(/^\[|\]$/g, '')
    .replace(/%\d+$/, '')
    .split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-').map((s) => Number.parseInt(s, 10));
    if (Number.isNaN(a)) continue;
    for (let i = a; i <= (Number.isNaN(b ?? Number.NaN) ? a : b); i++) out.push(i);
  }
  return out;
}

/**
 * Per-task states from `squeue -h -t all -j <ids> -o '%i|%T'` output, keyed `<arrayJobId>_<index>`.
 * `%i` is the array job id and the task index (`7_2`), or a pending range (`7_[2-3]`, `7_[4-9%2]`),
 * which gives each index in it the state. (`%A` would not do: a started task has its own job id.)
 */
export function parseSqueue(output: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [id, state] = line.trim().split('|');
    const m = /^(\d+)_(.+)$/.exec(id ?? '');
    if (!m || !state) continue;
    for (const i of parseIndexRange(m[2])) states.set(`${m[1]}_${i}`, state);
  }
  return states;
}

/** One task as `scontrol -o show job` reports it. */
export interface ScontrolTask {
  /** Final (or current) state. */
  readonly state: string;
  /** Exit code of the batch script; null when killed by a signal. */
  readonly exitCode: number | null;
}

/**
 * Per-task state and exit code from `scontrol -o show job <id>` (one line per task).
 * `ExitCode=3:0` is exit code 3; `ExitCode=0:15` is killed by signal 15 (exit code null).
 */
export function parseScontrol(output: string): Map<number, ScontrolTask> {
  const tasks = new Map<number, ScontrolTask>();
  for (const line of output.split('\n')) {
    const field = (k: string) => new RegExp(`(?:^|\\s)${k}=(\\S+)`).exec(line)?.[1];
    const idx = field('ArrayTaskId');
    const state = field('JobState');
    const exit = field('ExitCode');
    if (idx === undefined || state === undefined) continue;
    const [code, signal] = (exit ?? '0:0').split(':').map(Number);
    for (const i of parseIndexRange(idx)) tasks.set(i, { state, exitCode: signal > 0 ? null : code });
  }
  return tasks;
}

/** A task as `squeue -o '%i|%T|%r'` shows it: its state and, while it waits, Slurm's reason. */
export interface SqueueTask {
  /** State (`PENDING`, `RUNNING`, `COMPLETED`...). */
  readonly state: string;
  /** Reason (`Priority`, `Resources`, `PartitionConfig`, `None`...). */
  readonly reason: string;
}

/** Per-task state and reason from `squeue -h -t all -j <ids> -o '%i|%T|%r'`, keyed `<arrayJobId>_<index>`. */
export function parseSqueueDetail(output: string): Map<string, SqueueTask> {
  const tasks = new Map<string, SqueueTask>();
  for (const line of output.split('\n')) {
    const [id, state, ...reason] = line.trim().split('|');
    const m = /^(\d+)_(.+)$/.exec(id ?? '');
    if (!m || !state) continue;
    for (const i of parseIndexRange(m[2])) tasks.set(`${m[1]}_${i}`, { state, reason: reason.join('|') || 'None' });
  }
  return tasks;
}

/**
 * Pending reasons that never clear by waiting, with the fix. Slurm keeps such a job pending
 * (unless the site sets EnforcePartLimits), so a follower would otherwise wait forever.
 */
export const UNSATISFIABLE_REASONS: Readonly<Record<string, string>> = {
  PartitionConfig:
    'the request (CPUs, memory, GPUs or nodes per task) exceeds what any node of the partition has; ask for less (--cpus-per-task, --mem, --gpus) or choose another --partition',
  PartitionNodeLimit:
    'the request needs more nodes than the partition allows; ask for fewer resources per task or choose another --partition',
  PartitionTimeLimit:
    "--time exceeds the partition's time limit (see `sinfo -o '%P %l'`); shorten --time or choose another --partition",
  BadConstraints: 'no node has the requested features (--sbatch --constraint=...); check `sinfo -o "%N %f"`',
  InvalidAccount: 'the --account does not exist or you are not in it; see `sacctmgr show assoc user=$USER`',
  InvalidQOS:
    'the --qos does not exist or is not allowed for your account; see `sacctmgr show assoc user=$USER format=qos`',
  DependencyNeverSatisfied: 'a job this one depends on failed; cancel it and submit again',
  QOSMaxWallDurationPerJobLimit: "--time exceeds the QOS's limit; shorten --time or choose another --qos",
  QOSMaxCpuPerJobLimit:
    "--cpus-per-task exceeds the QOS's per-job CPU limit; ask for fewer CPUs or choose another --qos",
  QOSMaxGRESPerJob: "--gpus exceeds the QOS's per-job limit; ask for fewer GPUs or choose another --qos",
  QOSMaxMemoryPerJob: "--mem exceeds the QOS's per-job limit; ask for less memory or choose another --qos",
  AssocMaxWallDurationPerJobLimit: "--time exceeds your association's limit; shorten --time",
  AssocMaxCpuPerJobLimit: "--cpus-per-task exceeds your association's per-job CPU limit; ask for fewer CPUs",
};

/**
 * The fix for a pending reason that can never clear, or undefined when waiting may help.
 * `ReqNodeNotAvail` counts only when it names no node that exists (`knownNodes`).
 */
export function unsatisfiableFix(reason: string, knownNodes?: ReadonlySet<string>): string | undefined {
  const word = reason.split(/[ ,(]/)[0];
  if (UNSATISFIABLE_REASONS[word]) return UNSATISFIABLE_REASONS[word];
  if (word === 'ReqNodeNotAvail' && knownNodes) {
    const named = /UnavailableNodes:(\S*)/.exec(reason)?.[1]?.split(',').filter(Boolean) ?? [];
    if (named.length > 0 && named.every((n) => !knownNodes.has(n)))
      return `the requested node(s) ${named.join(',')} do not exist in this cluster; fix --sbatch --nodelist=... (see \`sinfo -N\`)`;
  }
  return undefined;
}

/**
 * Reading Slurm's view of a job array without accounting (no `sacct`): `squeue -t all` for states
 * while the job is known, `scontrol -o show job` for each task's exit code.
 */

/** Slurm job states after which a task will not run again. */
export const TERMINAL_STATES = new Set([
  'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'SPECIAL_EXIT',
]);

/** Task indices of an array index expression such as `0-3`, `2,5-7` or `0-9%2` (throttle dropped). */
export function parseIndexRange(text: string): number[] {
  const out: number[] = [];
  for (const part of text.replace(/^\[|\]$/g, '').replace(/%\d+$/, '').split(',')) {
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

/**
 * The local executor: a bounded pool of child processes, one `bash run.sh` per run.
 * Default pool size: one per core (each run is a single-threaded Node process).
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { check, positiveInt } from '@aml/core/validation';
import { readStatus, runFiles } from '../runs/layout';
import { localRunActive } from '../runs/plan';
import type { Executor, ExecutorEvent, FollowTask, RunOutcome, RunTask } from './executor';

/** Options of the local executor. */
export interface LocalExecutorOptions {
  /** Runs at once (default: the number of cores). */
  readonly jobs?: number;
  /** Extra environment for every run (added to this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Run one wrapper script to its end; resolves with the wrapper's exit code (null if killed by a signal). */
function runWrapper(task: RunTask, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // The wrapper sends the command's output to output.txt; its own stderr is for "already finished" notes.
    const child = spawn('bash', [task.script], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

/**
 * A local executor.
 * @example const ex = localExecutor({ jobs: 2 }); await ex.execute(tasks, sweepDir, (e) => console.log(e));
 */
export function localExecutor(options: LocalExecutorOptions = {}): Executor {
  const jobs = options.jobs ?? Math.max(1, cpus().length);
  check(positiveInt(), jobs, 'local executor: jobs');
  return {
    name: 'local',
    async execute(
      tasks: readonly RunTask[],
      _sweepDir: string,
      onEvent?: (e: ExecutorEvent) => void,
    ): Promise<RunOutcome[]> {
      const env = { ...process.env, ...options.env, AML_SWEEP_EXECUTOR: 'local' };
      const outcomes: RunOutcome[] = new Array(tasks.length);
      let next = 0;
      const worker = async () => {
        while (next < tasks.length) {
          const i = next++;
          const t = tasks[i];
          onEvent?.({ id: t.id, label: t.label, state: 'running' });
          const code = await runWrapper(t, env);
          // status.json is the record; the wrapper's own exit code is the fallback if it could not write it.
          const st = readStatus(t.dir);
          const exitCode = st?.exitCode !== undefined ? st.exitCode : code;
          const state =
            st?.state === 'done' || (st === undefined && code === 0)
              ? 'done'
              : st?.state === 'preempted'
                ? 'preempted'
                : 'failed';
          outcomes[i] = { id: t.id, state, exitCode, log: runFiles(t.dir).log };
          onEvent?.({ id: t.id, label: t.label, state, exitCode });
        }
      };
      await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
      return outcomes;
    },
    follow: (tasks, _sweepDir, onEvent) => Promise.all(tasks.map((t) => waitForLocalRun(t, onEvent))),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wait for a run an earlier invocation started on this host (its wrapper survived that invocation):
 * until its status is final or its wrapper process is gone (then it was interrupted: `preempted`).
 */
export async function waitForLocalRun(
  task: FollowTask,
  onEvent?: (e: ExecutorEvent) => void,
  pollMs = 200,
): Promise<RunOutcome> {
  const log = runFiles(task.dir).log;
  onEvent?.({ id: task.id, label: task.label, state: 'running (started earlier)' });
  for (;;) {
    const st = readStatus(task.dir);
    if (st?.state === 'done' || st?.state === 'failed') {
      onEvent?.({ id: task.id, label: task.label, state: st.state, exitCode: st.exitCode });
      return { id: task.id, state: st.state, exitCode: st.exitCode ?? null, log };
    }
    if (!st || !localRunActive(st)) {
      onEvent?.({ id: task.id, label: task.label, state: 'interrupted' });
      return {
        id: task.id,
        state: 'preempted',
        exitCode: st?.exitCode ?? null,
        log,
        detail: 'its wrapper process ended without a result; the next invocation runs it again',
      };
    }
    await sleep(pollMs);
  }
}

/**
 * The Slurm executor: a pre-flight `sbatch --test-only`, then one job array per invocation
 * (`sbatch --parsable`; several when the sweep exceeds the array size limit), followed until every
 * task has ended (see `follow.ts`). It also follows arrays an earlier invocation submitted.
 * Works without Slurm accounting.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Executor, ExecutorEvent, FollowTask, RunOutcome, RunTask } from '../executors/executor';
import { INVOCATION, readStatus, runFiles, writeStatus, type RunStatus } from '../runs/layout';
import { followArrayTasks, slurmCmd, type ArrayTask } from './follow';
import type { SlurmOptions } from './options';
import { groupByResources } from './resources';
import { arrayScript } from './sbatch';
import { TERMINAL_STATES } from './squeue';

/** Options of the Slurm executor. */
export interface SlurmExecutorOptions {
  /** The user's Slurm settings (partition, time, memory, CPUs, GPUs, setup lines...). */
  readonly slurm?: SlurmOptions;
  /** Wait for the array to finish (default true); false returns right after submission (outcomes `queued`). */
  readonly follow?: boolean;
  /** Working directory of the job (default: this process's). */
  readonly cwd?: string;
  /** Extra environment for the Slurm commands, e.g. `{ SLURM_CONF }` for a private cluster. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Whether a queued or running Slurm run is still known to Slurm as pending or running
 * (used to leave it alone when the sweep is invoked again).
 */
export function slurmRunActive(status: RunStatus, env: Readonly<Record<string, string>> = {}): boolean {
  if (status.executor !== 'slurm' || !status.jobId || status.task === undefined) return false;
  try {
    const out = execFileSync('squeue', ['-h', '-j', `${status.jobId}_${status.task}`, '-o', '%T'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const state = out.trim().split('\n')[0];
    return state !== '' && !TERMINAL_STATES.has(state);
  } catch {
    return false; // job unknown to Slurm (purged) or Slurm unreachable: not alive as far as we can tell
  }
}

/**
 * A Slurm executor.
 * @example slurmExecutor({ slurm: { partition: 'short', time: '00:20:00', mem: '2G', cpusPerTask: 1 } })
 */
export function slurmExecutor(options: SlurmExecutorOptions = {}): Executor {
  const slurm = options.slurm ?? {};
  const follow = options.follow ?? true;
  const pollMs = (slurm.pollSeconds ?? 5) * 1000;
  const env = { ...process.env, ...options.env };
  const cwd = () => options.cwd ?? process.cwd();
  // One array per chunk of at most maxArraySize runs (clusters cap array sizes, 1001 tasks by default).
  // Runs whose resources differ (slurm.resources) go to separate arrays.
  const chunks = (tasks: readonly RunTask[]) => {
    const size = slurm.maxArraySize ?? 1000;
    return groupByResources(slurm, tasks).flatMap((g) =>
      Array.from({ length: Math.ceil(g.tasks.length / size) }, (_, c) => ({
        slurm: g.slurm,
        tasks: g.tasks.slice(c * size, (c + 1) * size),
      })),
    );
  };
  const script = (sweepDir: string, chunk: { slurm: SlurmOptions; tasks: readonly RunTask[] }) =>
    arrayScript({
      name: basename(sweepDir) || 'sweep',
      tasks: chunk.tasks,
      slurmDir: join(sweepDir, 'slurm'),
      cwd: cwd(),
      slurm: chunk.slurm,
    });
  const followOpts = (
    tasks: readonly RunTask[],
    where: Map<string, ArrayTask>,
    sweepDir: string,
    onEvent?: (e: ExecutorEvent) => void,
  ) => ({
    tasks,
    where,
    sweepDir,
    env,
    pollMs,
    maxPendingSeconds: slurm.maxPendingSeconds,
    requeue: slurm.requeue ?? true,
    onEvent,
  });
  return {
    name: 'slurm',
    preview: (tasks, sweepDir) =>
      chunks(tasks)
        .map((c) => script(sweepDir, c))
        .join('\n'),
    async check(tasks: readonly RunTask[], sweepDir: string): Promise<void> {
      // sbatch --test-only validates every option and the request against the cluster, submitting nothing.
      const tmp = mkdtempSync(join(tmpdir(), 'aml-sbatch-test-'));
      try {
        for (const [c, chunk] of chunks(tasks).entries()) {
          const file = join(tmp, `array-${c}.sh`);
          writeFileSync(file, script(sweepDir, chunk));
          await slurmCmd('sbatch', ['--test-only', file], env).catch((e: Error) => {
            throw new Error(
              `slurm refused the sweep's job array before anything was written or submitted: ${e.message.replace(/^slurm: sbatch --test-only \S+ failed: /, '')}\n(check --partition, --time, --mem, --cpus-per-task, --gpus and --sbatch options against \`sinfo\`; the script is shown by --dry-run)`,
            );
          });
        }
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    async execute(
      tasks: readonly RunTask[],
      sweepDir: string,
      onEvent?: (e: ExecutorEvent) => void,
    ): Promise<RunOutcome[]> {
      if (tasks.length === 0) return [];
      const slurmDir = join(sweepDir, 'slurm');
      mkdirSync(slurmDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const where = new Map<string, ArrayTask>(); // run id -> its array task
      for (const [c, chunk] of chunks(tasks).entries()) {
        const scriptPath = join(slurmDir, `array-${stamp}${c > 0 ? `-${c}` : ''}.sh`);
        writeFileSync(scriptPath, script(sweepDir, chunk));
        let jobId: string;
        try {
          jobId = (await slurmCmd('sbatch', ['--parsable', scriptPath], env)).trim().split(';')[0];
          if (!/^\d+$/.test(jobId)) throw new Error(`slurm: sbatch printed "${jobId}" instead of a job id`);
        } catch (e) {
          rmSync(scriptPath, { force: true }); // nothing was submitted from it
          throw e;
        }
        writeFileSync(scriptPath.replace(/\.sh$/, '.job'), `${jobId}\nsubmitted by ${INVOCATION}\n`);
        chunk.tasks.forEach((t, i) => {
          where.set(t.id, { jobId, index: i });
          writeStatus(t.dir, {
            state: 'queued',
            executor: 'slurm',
            jobId,
            task: i,
            attempt: readStatus(t.dir)?.attempt,
            submittedBy: INVOCATION,
          });
        });
      }
      const key = (t: RunTask) => `${where.get(t.id)!.jobId}_${where.get(t.id)!.index}`;
      if (!follow) {
        tasks.forEach((t) => onEvent?.({ id: t.id, label: t.label, state: `QUEUED (job ${key(t)})` }));
        return tasks.map((t) => ({
          id: t.id,
          state: 'queued',
          exitCode: null,
          log: runFiles(t.dir).log,
          detail: `job ${key(t)}`,
        }));
      }
      return followArrayTasks(followOpts(tasks, where, sweepDir, onEvent));
    },
    async follow(
      tasks: readonly FollowTask[],
      sweepDir: string,
      onEvent?: (e: ExecutorEvent) => void,
    ): Promise<RunOutcome[]> {
      const mine = tasks.filter((t) => t.status.jobId !== undefined && t.status.task !== undefined);
      if (mine.length === 0) return [];
      const where = new Map(mine.map((t) => [t.id, { jobId: t.status.jobId!, index: t.status.task! }]));
      return followArrayTasks(followOpts(mine, where, sweepDir, onEvent));
    },
  };
}

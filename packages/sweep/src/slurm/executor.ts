/**
 * The Slurm executor: one job array per invocation (`sbatch --parsable`), followed with `squeue`
 * until every task has ended, then each task's state and exit code from `scontrol` and the run's
 * own status.json. Works without Slurm accounting.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Executor, ExecutorEvent, RunOutcome, RunTask } from '../executors/executor';
import { readStatus, runFiles, writeStatus, type RunStatus } from '../runs/layout';
import type { SlurmOptions } from './options';
import { arrayScript } from './sbatch';
import { parseScontrol, parseSqueue, TERMINAL_STATES, type ScontrolTask } from './squeue';

const execFileP = promisify(execFile);

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

/** Run a Slurm client command; errors name the command and carry its stderr. */
async function slurmCmd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`slurm: ${cmd} not found on PATH; run on a Slurm login node or load the Slurm module`);
    throw new Error(`slurm: ${cmd} ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
 * Poll squeue until no task of `jobs` is pending or running; reports each state change.
 * @returns the last state seen per `<jobId>_<index>`.
 */
async function followJobs(
  jobs: readonly string[],
  tasks: readonly RunTask[],
  key: (t: RunTask) => string,
  env: NodeJS.ProcessEnv,
  pollMs: number,
  onEvent?: (e: ExecutorEvent) => void,
): Promise<Map<string, string>> {
  const byKey = new Map(tasks.map((t) => [key(t), t]));
  const seen = new Map<string, string>();
  let failures = 0;
  for (;;) {
    let out: string;
    try {
      out = await slurmCmd('squeue', ['-h', '-t', 'all', '-j', jobs.join(','), '-o', '%i|%T'], env);
      failures = 0;
    } catch (e) {
      if (/Invalid job id/i.test((e as Error).message)) break; // purged from the controller: it has ended
      // A busy controller can time out a query: keep following, give up only when it stays unreachable.
      if (++failures >= 20) throw new Error(`${(e as Error).message} (20 times in a row while following job(s) ${jobs.join(',')})`);
      await sleep(pollMs);
      continue;
    }
    const states = parseSqueue(out);
    for (const [k, s] of states) {
      const t = byKey.get(k);
      if (t && seen.get(k) !== s) {
        seen.set(k, s);
        onEvent?.({ id: t.id, label: t.label, state: s });
      }
    }
    if (states.size === 0) break; // every job purged from the controller: all ended
    // squeue can briefly leave a task out (between an array's pending record and the task's own);
    // a task counts as ended when Slurm says so, or when its run.sh has recorded how it ended.
    const ended = (t: RunTask) => {
      const s = states.get(key(t)) ?? seen.get(key(t));
      if (s !== undefined && TERMINAL_STATES.has(s)) return true;
      const st = s === undefined ? readStatus(t.dir) : undefined;
      return st?.state === 'done' || st?.state === 'failed';
    };
    if (tasks.every(ended)) break;
    await sleep(pollMs);
  }
  return seen;
}

/**
 * A Slurm executor.
 * @example slurmExecutor({ slurm: { partition: 'short', time: '00:20:00', mem: '2G', cpusPerTask: 1 } })
 */
export function slurmExecutor(options: SlurmExecutorOptions = {}): Executor {
  const slurm = options.slurm ?? {};
  const follow = options.follow ?? true;
  const pollMs = (slurm.pollSeconds ?? 5) * 1000;
  return {
    name: 'slurm',
    async execute(tasks: readonly RunTask[], sweepDir: string, onEvent?: (e: ExecutorEvent) => void): Promise<RunOutcome[]> {
      if (tasks.length === 0) return [];
      const env = { ...process.env, ...options.env };
      const slurmDir = join(sweepDir, 'slurm');
      mkdirSync(slurmDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      // One array per chunk of at most maxArraySize runs (clusters cap array sizes, 1001 tasks by default).
      const size = slurm.maxArraySize ?? 1000;
      const where = new Map<string, { jobId: string; index: number }>(); // run id -> its array task
      const jobs: string[] = [];
      for (let c = 0; c * size < tasks.length; c++) {
        const chunk = tasks.slice(c * size, (c + 1) * size);
        const scriptPath = join(slurmDir, `array-${stamp}${c > 0 ? `-${c}` : ''}.sh`);
        writeFileSync(scriptPath, arrayScript({ name: sweepDir.split('/').filter(Boolean).pop() ?? 'sweep', tasks: chunk, slurmDir, cwd: options.cwd ?? process.cwd(), slurm }));
        const jobId = (await slurmCmd('sbatch', ['--parsable', scriptPath], env)).trim().split(';')[0];
        if (!/^\d+$/.test(jobId)) throw new Error(`slurm: sbatch printed "${jobId}" instead of a job id`);
        writeFileSync(scriptPath.replace(/\.sh$/, '.job'), `${jobId}\n`);
        jobs.push(jobId);
        chunk.forEach((t, i) => {
          where.set(t.id, { jobId, index: i });
          writeStatus(t.dir, { state: 'queued', executor: 'slurm', jobId, task: i, attempt: readStatus(t.dir)?.attempt });
        });
      }
      const key = (t: RunTask) => `${where.get(t.id)!.jobId}_${where.get(t.id)!.index}`;
      const schedulerLog = (t: RunTask) => join(slurmDir, `${key(t)}.out`);
      if (!follow) {
        tasks.forEach((t) => onEvent?.({ id: t.id, label: t.label, state: `QUEUED (job ${key(t)})` }));
        return tasks.map((t) => ({ id: t.id, state: 'queued', exitCode: null, log: runFiles(t.dir).log, detail: `job ${key(t)}` }));
      }
      const seen = await followJobs(jobs, tasks, key, env, pollMs, onEvent);
      const final = new Map<string, ScontrolTask>();
      for (const jobId of jobs) {
        const out = await slurmCmd('scontrol', ['-o', 'show', 'job', jobId], env).catch(() => '');
        for (const [i, t] of parseScontrol(out)) final.set(`${jobId}_${i}`, t);
      }
      return tasks.map((t): RunOutcome => {
        const st = readStatus(t.dir);
        const sc = final.get(key(t));
        const slurmState = sc?.state ?? seen.get(key(t));
        const log = runFiles(t.dir).log;
        if (st && (st.state === 'done' || st.state === 'failed')) {
          // run.sh recorded the command's own exit code; add Slurm's verdict to the record.
          writeStatus(t.dir, { ...st, slurmState });
          // A task that ended between two polls gets its final event here.
          if (slurmState && seen.get(key(t)) !== slurmState) onEvent?.({ id: t.id, label: t.label, state: slurmState, exitCode: st.exitCode });
          return { id: t.id, state: st.state, exitCode: st.exitCode ?? null, log, detail: `slurm ${slurmState ?? 'state unknown'}, job ${key(t)}` };
        }
        // The wrapper never finished (time limit, memory, cancelled, node failure): Slurm's word is all there is.
        // A task cancelled before it started reports ExitCode=0:0; that is no exit code of the command.
        const exitCode = sc?.exitCode ? sc.exitCode : null;
        const { jobId, index } = where.get(t.id)!;
        writeStatus(t.dir, { ...(st ?? {}), state: 'failed', exitCode, executor: 'slurm', jobId, task: index, slurmState });
        onEvent?.({ id: t.id, label: t.label, state: slurmState ?? 'FAILED', exitCode });
        return {
          id: t.id, state: 'failed', exitCode, log: existsSync(log) ? log : schedulerLog(t),
          detail: `slurm ${slurmState ?? 'state unknown'}, job ${key(t)}; scheduler output ${schedulerLog(t)}`,
        };
      });
    },
  };
}

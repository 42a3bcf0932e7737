/**
 * Following array tasks until each has ended, whoever submitted them: `squeue` for states and
 * pending reasons, `scontrol` for exit codes, each run's own status.json for the command's verdict.
 * A task that Slurm can never start (a pending reason that does not clear, or a wait beyond
 * `maxPendingSeconds` while nothing runs) is cancelled and failed with Slurm's reason and the fix.
 * A task requeued by preemption or `scontrol requeue` goes back to PENDING and is followed on.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExecutorEvent, RunOutcome, RunTask } from '../executors/executor';
import { readStatus, runFiles, writeStatus } from '../runs/layout';
import { parseScontrol, parseSqueueDetail, TERMINAL_STATES, unsatisfiableFix, type ScontrolTask } from './squeue';

const execFileP = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run a Slurm client command; errors name the command and carry its stderr. */
export async function slurmCmd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT')
      throw new Error(`slurm: ${cmd} not found on PATH; run on a Slurm login node or load the Slurm module`);
    throw new Error(`slurm: ${cmd} ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** Where a run sits in Slurm: its array job id and task index. */
export interface ArrayTask {
  /** Array job id. */
  readonly jobId: string;
  /** Task index in that array. */
  readonly index: number;
}

/** Inputs of `followArrayTasks`. */
export interface FollowInput {
  /** The runs to follow. */
  readonly tasks: readonly RunTask[];
  /** Each run's array task, by run id. */
  readonly where: ReadonlyMap<string, ArrayTask>;
  /** Sweep folder (Slurm's own output is in `<sweep>/slurm/<job>_<task>.out`). */
  readonly sweepDir: string;
  /** Environment of the Slurm clients. */
  readonly env: NodeJS.ProcessEnv;
  /** Milliseconds between polls. */
  readonly pollMs: number;
  /** Fail pending runs after this long with nothing of theirs running (undefined: no limit). */
  readonly maxPendingSeconds?: number;
  /** Whether the tasks are requeueable (then PREEMPTED and NODE_FAIL are not final). */
  readonly requeue: boolean;
  /** Progress events. */
  readonly onEvent?: (e: ExecutorEvent) => void;
}

/** States of a requeueable task that Slurm follows with a requeue rather than an end. */
const REQUEUED_AFTER = new Set(['PREEMPTED', 'NODE_FAIL']);
/** States in which a task holds its resources. */
const ACTIVE = new Set(['RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'STAGE_OUT', 'RESIZING', 'SIGNALING']);

/** Nodes the cluster knows (for `ReqNodeNotAvail` naming a node that does not exist). */
async function knownNodes(env: NodeJS.ProcessEnv): Promise<Set<string> | undefined> {
  const out = await slurmCmd('sinfo', ['-h', '-N', '-o', '%N'], env).catch(() => undefined);
  return out === undefined
    ? undefined
    : new Set(
        out
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      );
}

/**
 * Poll until every task has ended; cancel the tasks Slurm can never start.
 * @returns the last Slurm state seen and, for cancelled-as-stuck tasks, why (by `<job>_<index>` key).
 */
async function poll(input: FollowInput, key: (t: RunTask) => string) {
  const { tasks, env, pollMs, onEvent } = input;
  const jobs = [...new Set([...input.where.values()].map((w) => w.jobId))];
  const seen = new Map<string, string>();
  const stuck = new Map<string, { reason: string; why: string }>();
  let nodes: Set<string> | undefined;
  let stalledSince: number | undefined;
  let failures = 0;
  for (;;) {
    let out: string;
    try {
      out = await slurmCmd('squeue', ['-h', '-t', 'all', '-j', jobs.join(','), '-o', '%i|%T|%r'], env);
      failures = 0;
    } catch (e) {
      if (/Invalid job id/i.test((e as Error).message)) break; // purged from the controller: it has ended
      // A busy controller can time out a query: keep following, give up only when it stays unreachable.
      if (++failures >= 20)
        throw new Error(`${(e as Error).message} (20 times in a row while following job(s) ${jobs.join(',')})`);
      await sleep(pollMs);
      continue;
    }
    const states = parseSqueueDetail(out);
    const live = tasks.filter((t) => !stuck.has(key(t)));
    for (const t of live) {
      const s = states.get(key(t));
      if (!s) continue;
      const label = s.state === 'PENDING' && s.reason !== 'None' ? `PENDING (${s.reason})` : s.state;
      if (seen.get(key(t)) !== s.state || (s.state === 'PENDING' && seen.get(`${key(t)}:reason`) !== s.reason)) {
        seen.set(key(t), s.state);
        seen.set(`${key(t)}:reason`, s.reason);
        onEvent?.({ id: t.id, label: t.label, state: label });
      }
      if (s.state !== 'PENDING') continue;
      if (s.reason.startsWith('ReqNodeNotAvail')) nodes ??= await knownNodes(env);
      const fix = unsatisfiableFix(s.reason, nodes);
      if (fix)
        stuck.set(key(t), { reason: s.reason, why: `Slurm will never start it (pending reason ${s.reason}): ${fix}` });
    }
    // No endless wait: pending runs while none of ours runs, for longer than the limit, give up.
    const pending = live.filter((t) => states.get(key(t))?.state === 'PENDING' && !stuck.has(key(t)));
    const running = live.some((t) => ACTIVE.has(states.get(key(t))?.state ?? ''));
    stalledSince = pending.length > 0 && !running ? (stalledSince ?? Date.now()) : undefined;
    if (
      input.maxPendingSeconds !== undefined &&
      stalledSince !== undefined &&
      Date.now() - stalledSince > input.maxPendingSeconds * 1000
    ) {
      for (const t of pending) {
        const reason = states.get(key(t))!.reason;
        stuck.set(key(t), {
          reason,
          why: `pending for more than --max-pending ${input.maxPendingSeconds} s with none of the sweep's runs running (Slurm's reason: ${reason}); submit again when the queue is quieter, or ask for less (--time, --mem, --cpus-per-task)`,
        });
      }
    }
    const toCancel = [...stuck.keys()].filter((k) => states.get(k)?.state === 'PENDING');
    if (toCancel.length > 0) await slurmCmd('scancel', toCancel, env).catch(() => undefined);
    if (states.size === 0) break; // every job purged from the controller: all ended
    // squeue can briefly leave a task out (between an array's pending record and the task's own);
    // a task counts as ended when Slurm says so, or when its run.sh has recorded how it ended.
    const ended = (t: RunTask) => {
      if (stuck.has(key(t))) return states.get(key(t))?.state !== 'PENDING';
      const s = states.get(key(t))?.state ?? seen.get(key(t));
      if (s !== undefined && TERMINAL_STATES.has(s) && !(input.requeue && REQUEUED_AFTER.has(s))) return true;
      const st = s === undefined ? readStatus(t.dir) : undefined;
      return st?.state === 'done' || st?.state === 'failed';
    };
    if (tasks.every(ended)) break;
    await sleep(pollMs);
  }
  return { seen, stuck };
}

/**
 * Follow `tasks` (in arrays submitted by this or an earlier invocation) until each has ended, then
 * record Slurm's verdict in each run's status.json and say how each ended.
 */
export async function followArrayTasks(input: FollowInput): Promise<RunOutcome[]> {
  const { tasks, where, env, onEvent } = input;
  const key = (t: RunTask) => `${where.get(t.id)!.jobId}_${where.get(t.id)!.index}`;
  const { seen, stuck } = await poll(input, key);
  const final = new Map<string, ScontrolTask>();
  for (const jobId of new Set([...where.values()].map((w) => w.jobId))) {
    const out = await slurmCmd('scontrol', ['-o', 'show', 'job', jobId], env).catch(() => '');
    for (const [i, t] of parseScontrol(out)) final.set(`${jobId}_${i}`, t);
  }
  const schedulerLog = (t: RunTask) => join(input.sweepDir, 'slurm', `${key(t)}.out`);
  return tasks.map((t): RunOutcome => {
    const st = readStatus(t.dir);
    const sc = final.get(key(t));
    const slurmState = sc?.state ?? seen.get(key(t));
    const log = runFiles(t.dir).log;
    const { jobId, index } = where.get(t.id)!;
    const blocked = stuck.get(key(t));
    if (blocked) {
      writeStatus(t.dir, {
        ...(st ?? {}),
        state: 'failed',
        exitCode: null,
        executor: 'slurm',
        jobId,
        task: index,
        slurmState: 'CANCELLED',
        pendingReason: blocked.reason,
      });
      onEvent?.({ id: t.id, label: t.label, state: `FAILED: ${blocked.why}`, exitCode: null });
      return { id: t.id, state: 'failed', exitCode: null, log, detail: `${blocked.why}; job ${key(t)}` };
    }
    if (st && (st.state === 'done' || st.state === 'failed' || st.state === 'preempted')) {
      // run.sh recorded the command's own exit code; add Slurm's verdict to the record.
      writeStatus(t.dir, { ...st, slurmState });
      // A task that ended between two polls gets its final event here.
      if (slurmState && seen.get(key(t)) !== slurmState)
        onEvent?.({ id: t.id, label: t.label, state: slurmState, exitCode: st.exitCode });
      const detail =
        st.state === 'preempted'
          ? `stopped by SIG${st.signal} and not requeued (slurm ${slurmState ?? 'state unknown'}); the next invocation continues it`
          : `slurm ${slurmState ?? 'state unknown'}, job ${key(t)}`;
      return { id: t.id, state: st.state, exitCode: st.exitCode ?? null, log, detail };
    }
    // The wrapper never finished (time limit, memory, cancelled, node failure): Slurm's word is all there is.
    // A task cancelled before it started reports ExitCode=0:0; that is no exit code of the command.
    const exitCode = sc?.exitCode ? sc.exitCode : null;
    writeStatus(t.dir, { ...(st ?? {}), state: 'failed', exitCode, executor: 'slurm', jobId, task: index, slurmState });
    onEvent?.({ id: t.id, label: t.label, state: slurmState ?? 'FAILED', exitCode });
    return {
      id: t.id,
      state: 'failed',
      exitCode,
      log: existsSync(log) ? log : schedulerLog(t),
      detail: `slurm ${slurmState ?? 'state unknown'}, job ${key(t)}; scheduler output ${schedulerLog(t)}`,
    };
  });
}

/**
 * What `sweep status` and `sweep run --dry-run` print: every run with its state, and for runs still
 * waiting in Slurm, the scheduler's pending reason and the invocation that submitted them.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { collectRows } from '../collect/table';
import { pathsOf, readStatus } from '../runs/layout';
import { localRunActive } from '../runs/plan';
import type { SweepSummary } from '../runs/run-sweep';
import type { SweepSpec } from '../spec/spec';
import { parseSqueueDetail, unsatisfiableFix, type SqueueTask } from '../slurm/squeue';

/** Slurm's view of the given `<job>_<task>` keys (empty when Slurm cannot be asked). */
function squeueView(jobIds: readonly string[]): Map<string, SqueueTask> {
  if (jobIds.length === 0) return new Map();
  try {
    const out = execFileSync('squeue', ['-h', '-t', 'all', '-j', jobIds.join(','), '-o', '%i|%T|%r'], {
      env: process.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return parseSqueueDetail(out);
  } catch {
    return new Map(); // purged jobs or no Slurm here: the runs' own records are all there is
  }
}

const LIVE = new Set([
  'PENDING',
  'RUNNING',
  'COMPLETING',
  'CONFIGURING',
  'SUSPENDED',
  'REQUEUED',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
]);

/**
 * The lines of `sweep status <dir>`: a count line, then one line per run (id, state, exit code,
 * values, seed; a failed run's log; a waiting Slurm task's state and reason; who submitted it).
 */
export async function statusLines(dir: string): Promise<string[]> {
  const runsDir = pathsOf(dir).runs;
  const rows0 = collectRows(dir);
  const statuses = new Map(rows0.map((r) => [r.id, readStatus(join(runsDir, r.id))]));
  const jobIds = [
    ...new Set(
      [...statuses.values()]
        .filter((s) => s?.executor === 'slurm' && s.jobId && s.state !== 'done' && s.state !== 'failed')
        .map((s) => s!.jobId!),
    ),
  ];
  const slurm = squeueView(jobIds);
  const rows = rows0.map((r) => {
    const st = statuses.get(r.id);
    if (!st || (r.state !== 'queued' && r.state !== 'running' && r.state !== 'preempted'))
      return { r, st, sq: undefined };
    const sq = st.jobId !== undefined ? slurm.get(`${st.jobId}_${st.task}`) : undefined;
    const alive = st.executor === 'slurm' ? sq !== undefined && LIVE.has(sq.state) : localRunActive(st);
    // A run recorded as queued or running whose process or Slurm task is gone was interrupted.
    return { r: alive || r.state === 'preempted' ? r : { ...r, state: 'interrupted' }, st, sq: alive ? sq : undefined };
  });
  const count = (s: string) => rows.filter((x) => x.r.state === s).length;
  const lines = [
    `${dir}: ${rows.length} runs: ${count('done')} done, ${count('failed')} failed, ${count('running')} running, ${count('queued')} queued, ` +
      `${count('interrupted')} interrupted, ${count('not started')} not started${count('preempted') ? `, ${count('preempted')} preempted` : ''}`,
  ];
  for (const { r, st, sq } of rows) {
    const values = Object.entries(r.values)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    let where = '';
    if (sq) {
      const fix = sq.state === 'PENDING' ? unsatisfiableFix(sq.reason) : undefined;
      where = ` slurm ${st!.jobId}_${st!.task} ${sq.state}${sq.state === 'PENDING' ? ` (reason ${sq.reason}${fix ? `: never starts; ${fix}` : ''})` : ''}`;
    }
    if (st?.submittedBy && r.state !== 'done' && r.state !== 'failed') where += `; submitted by ${st.submittedBy}`;
    if (st?.pendingReason && r.state === 'failed') where += ` (was pending: ${st.pendingReason})`;
    lines.push(
      `${r.id} ${r.state.padEnd(11)} ${r.exitCode === null ? '' : `exit ${r.exitCode} `}${values} seed=${r.seed}${r.state === 'failed' ? ` log ${r.log}` : ''}${where}`,
    );
  }
  return lines;
}

/** Print a dry run: the counts, every run with what would happen to it, and the executor's script. */
export function printDryRun(print: (line: string) => void, spec: SweepSpec, s: SweepSummary): void {
  print(
    `dry run: sweep ${spec.name}: ${s.total} runs; would run ${s.queued}, skip ${s.skippedDone} finished, ${s.skippedActive} in progress, ${s.failedNotRetried.length} failed (retry with --retry-failed)`,
  );
  const words = { run: 'run', 'skip-done': 'finished', 'skip-failed': 'failed', 'skip-active': 'in progress' } as const;
  for (const p of s.planned ?? []) print(`  ${p.id} ${words[p.action].padEnd(11)} ${p.label}`);
  if (s.preview) print(`script it would submit:\n${s.preview}`);
}

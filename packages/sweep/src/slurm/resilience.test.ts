/**
 * Sweeps on a real (private, loopback) Slurm when things go wrong: a sweep resumed while the earlier
 * array still runs; a task requeued under a running run; a request Slurm can never satisfy; a
 * rejected submission. Without Slurm these are skipped with a message, except in CI, where they fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_COMMAND, TINY_RESUME, tinyBase, tinySweep } from '../../tests/fixtures/tiny';
import { createSweepCommand, EXIT_PARTIAL } from '../cli/command';
import { localExecutor } from '../executors/local';
import { readStatus, runFiles } from '../runs/layout';
import { runSweep } from '../runs/run-sweep';
import { expandSweep } from '../spec/expand';
import { slurmExecutor } from './executor';
import { localSlurmSupport, startLocalSlurm, type LocalSlurm } from './local-cluster';

const support = localSlurmSupport();
const inCI = process.env.CI === 'true' || process.env.CI === '1';
if (!support.ok && !inCI) console.warn(`SKIPPING the Slurm resilience tests: ${support.reason}`);
const describeSlurm = support.ok || inCI ? describe : describe.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (ok()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describeSlurm('sweeps on a private Slurm when things go wrong', () => {
  let cluster: LocalSlurm | undefined;
  let dir: string;
  let lines: string[];
  const env = () => ({ ...process.env, ...cluster!.env });
  const sq = (...args: string[]) => execFileSync('squeue', ['-h', ...args], { env: env(), encoding: 'utf8' });
  const cli = (...args: string[]) =>
    createSweepCommand({
      app: 'test-lab',
      command: TINY_COMMAND,
      resume: TINY_RESUME,
      print: (l) => lines.push(l),
    }).parseAsync(args, { from: 'user' });
  /**
   * Slurm holds a requeued task back for a while (BeginTime); let it start now rather than in two minutes,
   * but in a later second than the kill: slurmd revokes the killed job's credential with one-second
   * resolution and refuses a relaunch in that same second ("Job credential revoked"), which ends the
   * task FAILED. Slurm's own hold exists to avoid exactly that.
   */
  async function startRequeuedNow(task: string): Promise<void> {
    const seen = Date.now(); // the task is PENDING, so the kill happened before this instant
    await sleep(Math.floor(seen / 1000) * 1000 + 2000 - seen);
    execFileSync('scontrol', ['update', `JobId=${task}`, 'StartTime=now'], { env: env() });
  }
  beforeAll(async () => {
    if (!support.ok) throw new Error(`CI requires Slurm for the sweep tests: ${support.reason}`);
    cluster = await startLocalSlurm({ cpus: 2 });
    dir = mkdtempSync(join(tmpdir(), 'sweep-resilience-'));
    process.env.SLURM_CONF = cluster.conf; // the CLI's Slurm clients read it, as on a login node
  }, 60_000);
  afterAll(async () => {
    delete process.env.SLURM_CONF;
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  beforeEach(() => {
    lines = [];
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('a sweep resumed while the earlier array runs is partial (exit 3, no best) unless it waits; --attach waits and completes it', async () => {
    const base = { ...tinyBase(dir), training: { ...tinyBase(dir).training, stepDelayMs: 8 } }; // about 2 s per run
    writeFileSync(join(dir, 'attach.json'), JSON.stringify(base));
    const results = join(dir, 'attach-results');
    const args = [
      'run',
      '--base',
      join(dir, 'attach.json'),
      '--name',
      'attach',
      '--set',
      'training.lr=0.1,0.2,0.3',
      '--seeds',
      '2',
      '--results',
      results,
      '--executor',
      'slurm',
      '--poll',
      '0.2',
    ];
    await cli(...args, '--no-follow'); // 6 runs, 2 CPUs: 2 run, 4 wait
    expect(process.exitCode).toBe(EXIT_PARTIAL);
    lines = [];
    await cli('status', join(results, 'attach'));
    expect(
      lines.filter((l) => /slurm \d+_\d PENDING \(reason \w+\); submitted by \S+:\d+ /.test(l)).length,
    ).toBeGreaterThan(0);

    lines = [];
    process.exitCode = undefined;
    await cli(...args, '--no-follow'); // a resume that does not wait: nothing new is submitted, the report says partial
    expect(lines.join('\n')).toMatch(/ran 0, succeeded 0, failed 0; skipped 0 finished, 6 in progress/);
    expect(lines.join('\n')).toMatch(/no best run: \d of 6 runs have not finished/);
    expect(process.exitCode).toBe(EXIT_PARTIAL);
    expect(existsSync(join(results, 'attach/table.partial.csv'))).toBe(true);

    lines = [];
    process.exitCode = undefined;
    await cli(...args); // a resume that follows: it waits for all six, submitted by the first invocation
    const text = lines.join('\n');
    expect(text).toMatch(/6 runs; ran 0, succeeded 6, failed 0; followed 6 started earlier/);
    expect(text).toMatch(/^best: [0-9a-f]{12} \(testMse = /m);
    expect(process.exitCode).toBeUndefined();
    expect(existsSync(join(results, 'attach/table.partial.csv'))).toBe(false);
    const rows = readFileSync(join(results, 'attach/table.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[1])).toEqual(Array(6).fill('done'));
  }, 180_000);

  it('a task requeued by scontrol requeue resumes from its checkpoint, is not counted failed, and ends with the undisturbed metrics', async () => {
    const spec = tinySweep('requeue', dir, [{ path: 'training.lr', values: [0.1, 0.3] }], 1, 8);
    const results = join(dir, 'requeue');
    const events: string[] = [];
    const pending = runSweep({
      spec,
      resultsDir: results,
      executor: slurmExecutor({ env: cluster!.env, slurm: { pollSeconds: 0.2 } }),
      onEvent: (e) => events.push(e.state),
    });
    const [run] = expandSweep(spec);
    const runDir = join(results, 'requeue/runs', run.id);
    await until(
      'the run to start training',
      () =>
        existsSync(runFiles(runDir).log) &&
        readFileSync(runFiles(runDir).log, 'utf8').includes('tiny-experiment seed='),
    );
    await sleep(500);
    const st = readStatus(runDir)!;
    execFileSync('scontrol', ['requeue', `${st.jobId}_${st.task}`], { env: env() });
    await until('the requeued task to wait', () => sq('-j', `${st.jobId}_${st.task}`, '-o', '%T').trim() === 'PENDING');
    await startRequeuedNow(`${st.jobId}_${st.task}`);
    const s = await pending;
    expect(s).toMatchObject({ ran: 2, succeeded: 2, failed: [], complete: true, preempted: 0 });
    expect(readStatus(runDir)).toMatchObject({ state: 'done', resumed: true, attempt: 2, slurmState: 'COMPLETED' });
    const step = Number(/checkpoint at step (\d+)/.exec(readFileSync(join(runDir, 'output.attempt1.txt'), 'utf8'))![1]);
    expect(step).toBeGreaterThan(0);
    expect(readFileSync(runFiles(runDir).log, 'utf8')).toContain(`resumed from step ${step}`);
    // The same sweep undisturbed, on this machine: identical metrics, run by run.
    await runSweep({ spec, resultsDir: join(dir, 'requeue-local'), executor: localExecutor({ jobs: 2 }) });
    for (const r of expandSweep(spec)) {
      const m = (root: string) => readFileSync(join(root, 'requeue/runs', r.id, 'metrics.json'), 'utf8');
      expect(m(results)).toBe(m(join(dir, 'requeue-local')));
    }
  }, 120_000);

  it('the time-limit warning (USR1 to the batch shell, as --signal=B:USR1 sends it) checkpoints, requeues the task itself, and it resumes', async () => {
    const spec = tinySweep('warned', dir, [], 1, 8);
    const results = join(dir, 'warned');
    const pending = runSweep({
      spec,
      resultsDir: results,
      executor: slurmExecutor({ env: cluster!.env, slurm: { pollSeconds: 0.2, time: '00:10:00' } }),
    });
    const runDir = join(results, 'warned/runs', expandSweep(spec)[0].id);
    await until(
      'the run to start training',
      () =>
        existsSync(runFiles(runDir).log) &&
        readFileSync(runFiles(runDir).log, 'utf8').includes('tiny-experiment seed='),
    );
    await sleep(500);
    const st = readStatus(runDir)!;
    execFileSync('scancel', ['--batch', '--signal=USR1', `${st.jobId}_${st.task}`], { env: env() });
    await until(
      'the task to requeue itself',
      () => sq('-j', `${st.jobId}_${st.task}`, '-o', '%T').trim() === 'PENDING',
    );
    expect(readStatus(runDir)).toMatchObject({ state: 'preempted', signal: 'USR1' });
    await startRequeuedNow(`${st.jobId}_${st.task}`);
    const s = await pending;
    expect(s).toMatchObject({ succeeded: 1, failed: [], complete: true });
    expect(readStatus(runDir)).toMatchObject({ state: 'done', resumed: true, attempt: 2 });
    expect(readFileSync(runFiles(runDir).log, 'utf8')).toMatch(/resumed from step [1-9]\d*/);
  }, 120_000);

  it('a request Slurm can never satisfy fails within a minute with its pending reason and the fix', async () => {
    // Through the CLI, sbatch --test-only refuses it before anything is written.
    writeFileSync(join(dir, 'big.json'), JSON.stringify(tinyBase(dir)));
    const results = join(dir, 'big');
    const t0 = Date.now();
    await expect(
      cli(
        'run',
        '--base',
        join(dir, 'big.json'),
        '--name',
        'big',
        '--results',
        results,
        '--executor',
        'slurm',
        '--cpus-per-task',
        '8',
      ),
    ).rejects.toThrow(
      /slurm refused the sweep's job array before anything was written or submitted: .*Requested node configuration is not available/,
    );
    expect(existsSync(results)).toBe(false);
    // Submitted anyway (as sbatch on a cluster without a test-only check would): the follower sees
    // PartitionConfig, cancels the task and fails the run with the reason and the fix.
    const spec = tinySweep('big', dir, [], 1);
    const s = await runSweep({
      spec,
      resultsDir: results,
      executor: {
        ...slurmExecutor({ env: cluster!.env, slurm: { cpusPerTask: 8, pollSeconds: 0.2 } }),
        check: undefined,
      },
    });
    expect((Date.now() - t0) / 1000).toBeLessThan(60);
    expect(s.failed).toHaveLength(1);
    expect(s.failed[0].detail).toMatch(
      /Slurm will never start it \(pending reason PartitionConfig\): the request \(CPUs, memory, GPUs or nodes per task\) exceeds .*--cpus-per-task/,
    );
    const st = readStatus(join(results, 'big/runs', expandSweep(spec)[0].id))!;
    expect(st).toMatchObject({ state: 'failed', pendingReason: 'PartitionConfig', slurmState: 'CANCELLED' });
    await until('the task to leave the queue', () => !/PENDING/.test(sq('-t', 'all', '-j', st.jobId!, '-o', '%T')), 20);
  }, 90_000);

  it('--max-pending fails runs that wait too long while none of the sweep runs, naming the reason', async () => {
    const spec = tinySweep('held', dir, [], 1);
    const t0 = Date.now();
    const held = slurmExecutor({
      env: cluster!.env,
      slurm: { sbatchArgs: ['--hold'], maxPendingSeconds: 1, pollSeconds: 0.2 },
    });
    const s = await runSweep({ spec, resultsDir: join(dir, 'held'), executor: held });
    expect((Date.now() - t0) / 1000).toBeLessThan(30);
    expect(s.failed).toHaveLength(1);
    expect(s.failed[0].detail).toMatch(
      /pending for more than --max-pending 1 s with none of the sweep's runs running \(Slurm's reason: JobHeldUser\)/,
    );
    expect(s.complete).toBe(true); // every run has ended: failed, with the reason
  }, 60_000);

  it('a rejected sbatch option or a schema-invalid value leaves no sweep folder and submits nothing', async () => {
    writeFileSync(join(dir, 'rej.json'), JSON.stringify(tinyBase(dir)));
    const results = join(dir, 'rejected');
    const jobsBefore = sq('-t', 'all', '-o', '%A');
    const run = (...extra: string[]) =>
      cli(
        'run',
        '--base',
        join(dir, 'rej.json'),
        '--name',
        'rej',
        '--results',
        results,
        '--executor',
        'slurm',
        ...extra,
      );
    await expect(run('--sbatch', '--frobnicate=1')).rejects.toThrow(
      /slurm refused the sweep's job array .*unrecognized option '--frobnicate=1'/s,
    );
    expect(existsSync(results)).toBe(false);
    const strict = createSweepCommand({
      app: 'test-lab',
      command: TINY_COMMAND,
      print: () => {},
      validateConfig: (c) => {
        if (!['lhs', 'uniform'].includes(String((c.training as { sampler?: unknown }).sampler ?? 'lhs')))
          throw new Error('training.sampler: expected "lhs" or "uniform"');
      },
    });
    writeFileSync(
      join(dir, 'rej2.json'),
      JSON.stringify({ ...tinyBase(dir), training: { ...tinyBase(dir).training, sampler: 'lhs' } }),
    );
    await expect(
      strict.parseAsync(
        [
          'run',
          '--base',
          join(dir, 'rej2.json'),
          '--set',
          'training.sampler=lhs,lhss',
          '--results',
          results,
          '--executor',
          'slurm',
        ],
        { from: 'user' },
      ),
    ).rejects.toThrow('run training.sampler="lhss" seed=0: training.sampler: expected "lhs" or "uniform"');
    expect(existsSync(results)).toBe(false);
    expect(sq('-t', 'all', '-o', '%A')).toBe(jobsBefore);
  }, 60_000);
});

/**
 * The Slurm executor against a real single-node Slurm on loopback, brought up and torn down here.
 * Without Slurm installed these tests are skipped with a message, except in CI (CI=true), where they fail.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { TINY_COMMAND, tinyBase, tinySweep } from '../../tests/fixtures/tiny';
import { createSweepCommand } from '../cli/command';
import { localExecutor } from '../executors/local';
import { readStatus } from '../runs/layout';
import { runSweep } from '../runs/run-sweep';
import { expandSweep } from '../spec/expand';
import { slurmExecutor, slurmRunActive } from './executor';
import { localSlurmSupport, startLocalSlurm, type LocalSlurm } from './local-cluster';

const support = localSlurmSupport();
const inCI = process.env.CI === 'true' || process.env.CI === '1';
if (!support.ok && !inCI) {
  // Visible in the jest output: these tests are skipped, not passed.
  console.warn(`SKIPPING the Slurm sweep tests: ${support.reason}`);
}
const describeSlurm = support.ok || inCI ? describe : describe.skip;

describeSlurm('slurm executor on a private loopback cluster', () => {
  let cluster: LocalSlurm | undefined;
  let dir: string;
  beforeAll(async () => {
    if (!support.ok) throw new Error(`CI requires Slurm for the sweep tests: ${support.reason}`);
    cluster = await startLocalSlurm();
    dir = mkdtempSync(join(tmpdir(), 'sweep-slurm-'));
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const slurm = () =>
    slurmExecutor({ env: cluster!.env, slurm: { pollSeconds: 0.2, time: '00:05:00', mem: '500M', cpusPerTask: 1 } });
  const metricsOf = (results: string, sweep: string, id: string) =>
    readFileSync(join(results, sweep, 'runs', id, 'metrics.json'), 'utf8');
  const arrays = (results: string, sweep: string) =>
    existsSync(join(results, sweep, 'slurm'))
      ? readdirSync(join(results, sweep, 'slurm')).filter((f) => f.endsWith('.sh'))
      : [];

  it('keeps the daemons on 127.0.0.1', () => {
    const conf = readFileSync(cluster!.conf, 'utf8');
    const ports = ['SlurmctldPort', 'SlurmdPort'].map((k) => Number(new RegExp(`^${k}=(\\d+)$`, 'm').exec(conf)![1]));
    // /proc/net/tcp: "local_address" is hex IP:port (127.0.0.1 is 0100007F), state 0A is LISTEN; tcp6 must hold none of ours.
    const listening = (file: string) =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .slice(1)
            .map((l) => l.trim().split(/\s+/))
            .filter((f) => f[3] === '0A')
            .map((f) => f[1])
        : [];
    for (const port of ports) {
      const hex = port.toString(16).toUpperCase().padStart(4, '0');
      expect(listening('/proc/net/tcp').filter((a) => a.endsWith(`:${hex}`))).toEqual([`0100007F:${hex}`]);
      expect(listening('/proc/net/tcp6').filter((a) => a.endsWith(`:${hex}`))).toEqual([]);
    }
  });

  it('runs a 4-run sweep as a job array with the same metrics per run as the local executor', async () => {
    const spec = tinySweep('same', dir, [{ path: 'training.lr', values: [0.1, 0.3] }], 2);
    const viaSlurm = await runSweep({ spec, resultsDir: join(dir, 'slurm'), executor: slurm() });
    const viaLocal = await runSweep({ spec, resultsDir: join(dir, 'local'), executor: localExecutor({ jobs: 2 }) });
    expect(viaSlurm).toMatchObject({ total: 4, ran: 4, succeeded: 4, failed: [] });
    expect(viaLocal).toMatchObject({ total: 4, ran: 4, succeeded: 4, failed: [] });
    for (const run of expandSweep(spec)) {
      const a = metricsOf(join(dir, 'slurm'), 'same', run.id);
      expect(a).toBe(metricsOf(join(dir, 'local'), 'same', run.id)); // byte-identical
      expect(JSON.parse(a).testMse).toBeLessThan(1e-2);
      const st = readStatus(join(dir, 'slurm/same/runs', run.id));
      expect(st).toMatchObject({ state: 'done', exitCode: 0, executor: 'slurm', slurmState: 'COMPLETED' });
      expect(st?.jobId).toMatch(/^\d+$/);
    }
    expect(arrays(join(dir, 'slurm'), 'same')).toHaveLength(1);
  });

  it('reports a failed task with its exit code and log, completes it on retry, then re-runs nothing', async () => {
    const results = join(dir, 'retry');
    const spec = tinySweep('retry', dir, [{ path: 'model.powers', values: [[1], [1, 2]] }], 2);
    writeFileSync(join(dir, 'fail-seed-1'), '');
    const events: string[] = [];
    // At most 3 tasks per array: the first invocation submits two arrays and follows both.
    const chunked = slurmExecutor({ env: cluster!.env, slurm: { pollSeconds: 0.2, maxArraySize: 3 } });
    const s1 = await runSweep({ spec, resultsDir: results, executor: chunked, onEvent: (e) => events.push(e.state) });
    expect(arrays(results, 'retry')).toHaveLength(2);
    expect(s1).toMatchObject({ ran: 4, succeeded: 2 });
    expect(s1.failed).toHaveLength(2);
    for (const f of s1.failed) {
      expect(f.exitCode).toBe(3);
      expect(f.detail).toMatch(/slurm FAILED, job \d+_\d/);
      expect(readFileSync(f.log, 'utf8')).toContain('failing on purpose');
    }
    expect(events).toContain('FAILED');
    expect(events).toContain('COMPLETED');

    rmSync(join(dir, 'fail-seed-1'));
    const s2 = await runSweep({ spec, resultsDir: results, executor: slurm(), retryFailed: true });
    expect(s2).toMatchObject({ ran: 2, succeeded: 2, skippedDone: 2, failed: [] });
    expect(readFileSync(join(s1.failed[0].log.replace(/output\.txt$/, 'output.attempt1.txt')), 'utf8')).toContain(
      'failing on purpose',
    );

    const s3 = await runSweep({ spec, resultsDir: results, executor: slurm(), retryFailed: true });
    expect(s3).toMatchObject({ ran: 0, skippedDone: 4, failed: [] });
    expect(arrays(results, 'retry')).toHaveLength(3); // the third invocation submitted nothing
  });

  it('leaves a queued run alone when invoked again, and runs it after it was cancelled', async () => {
    const results = join(dir, 'detached');
    const spec = tinySweep('detached', dir, [], 1);
    // Hold the only run in the queue so a second invocation finds it queued.
    const held = slurmExecutor({ env: cluster!.env, follow: false, slurm: { sbatchArgs: ['--hold'] } });
    const s1 = await runSweep({ spec, resultsDir: results, executor: held });
    expect(s1).toMatchObject({ ran: 1, queued: 1 });
    const runDir = join(results, 'detached/runs', expandSweep(spec)[0].id);
    const st = readStatus(runDir)!;
    expect(st).toMatchObject({ state: 'queued', executor: 'slurm', task: 0 });
    expect(slurmRunActive(st, cluster!.env)).toBe(true);
    const isActive = (s: typeof st) => slurmRunActive(s, cluster!.env);
    // Not following (as with --no-follow): the held run is left alone and the sweep is partial.
    const s2 = await runSweep({ spec, resultsDir: results, executor: slurm(), isActive, followActive: false });
    expect(s2).toMatchObject({ ran: 0, skippedActive: 1, followed: 0, complete: false, unfinished: 1 });
    execFileSync('scancel', [st.jobId!], { env: { ...process.env, ...cluster!.env } });
    for (let i = 0; i < 200 && slurmRunActive(st, cluster!.env); i++) await new Promise((r) => setTimeout(r, 100));
    const s3 = await runSweep({ spec, resultsDir: results, executor: slurm(), isActive });
    expect(s3).toMatchObject({ ran: 1, succeeded: 1 });
  });

  it('reports a task cancelled by Slurm as failed with no exit code and names the scheduler output', async () => {
    const results = join(dir, 'cancelled');
    const spec = tinySweep('cancelled', dir, [], 1);
    const held = slurmExecutor({ env: cluster!.env, slurm: { sbatchArgs: ['--hold'], pollSeconds: 0.2 } });
    const pending = runSweep({ spec, resultsDir: results, executor: held });
    const runDir = join(results, 'cancelled/runs', expandSweep(spec)[0].id);
    for (let i = 0; i < 400 && readStatus(runDir)?.state !== 'queued'; i++) await new Promise((r) => setTimeout(r, 50)); // sbatch may be slow on a loaded machine
    execFileSync('scancel', [readStatus(runDir)!.jobId!], { env: { ...process.env, ...cluster!.env } });
    const s = await pending;
    expect(s.failed).toHaveLength(1);
    expect(s.failed[0].exitCode).toBeNull();
    expect(s.failed[0].detail).toMatch(/slurm CANCELLED.*scheduler output .*\.out/);
    expect(readStatus(runDir)).toMatchObject({ state: 'failed', exitCode: null, slurmState: 'CANCELLED' });
  });

  it('through the CLI: bad input fails before anything is submitted; good input runs on Slurm', async () => {
    process.env.SLURM_CONF = cluster!.conf; // the CLI's Slurm clients read it, as on a login node
    const lines: string[] = [];
    const cli = (...args: string[]) =>
      createSweepCommand({ app: 'test-lab', command: TINY_COMMAND, print: (l) => lines.push(l) }).parseAsync(args, {
        from: 'user',
      });
    writeFileSync(join(dir, 'cli-base.json'), JSON.stringify(tinyBase(dir)));
    const results = join(dir, 'cli');
    const common = [
      'run',
      '--base',
      join(dir, 'cli-base.json'),
      '--name',
      'cli',
      '--results',
      results,
      '--executor',
      'slurm',
      '--poll',
      '0.2',
      '--time',
      '00:05:00',
    ];
    const jobsBefore = execFileSync('squeue', ['-h', '-t', 'all', '-o', '%A'], { env: process.env, encoding: 'utf8' });
    await expect(cli(...common, '--set', 'training.pts=8,16')).rejects.toThrow(
      'parameter training.pts: no such key in',
    );
    await expect(cli(...common, '--set', 'training.points=')).rejects.toThrow(
      'parameter training.points: empty value list',
    );
    await expect(cli(...common, '--set', 'training.points=8,"16"')).rejects.toThrow(
      'parameter training.points: value 2 "16" is a string, but the base config holds a number (32)',
    );
    expect(existsSync(results)).toBe(false);
    expect(execFileSync('squeue', ['-h', '-t', 'all', '-o', '%A'], { env: process.env, encoding: 'utf8' })).toBe(
      jobsBefore,
    ); // nothing submitted

    await cli(...common, '--set', 'training.points=8,16', '--no-collect');
    expect(lines.join('\n')).toMatch(/sweep cli \(slurm\): 2 runs; ran 2, succeeded 2, failed 0/);
    expect(lines.filter((l) => / COMPLETED$/.test(l))).toHaveLength(2);
    delete process.env.SLURM_CONF;
  });
});

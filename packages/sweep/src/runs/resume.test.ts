/**
 * Complete-or-partial and preemption on this machine: a sweep resumed while an earlier invocation's
 * runs still run waits for them (or, not following, is marked partial with exit code 3 and names no
 * best run); a run stopped by SIGTERM checkpoints, is recorded as preempted (not failed), and the
 * next invocation continues it from its checkpoint to the same metrics as an undisturbed run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_COMMAND, TINY_RESUME, tinyBase, tinySweep } from '../../tests/fixtures/tiny';
import { createSweepCommand, EXIT_PARTIAL } from '../cli/command';
import type { Executor } from '../executors/executor';
import { localExecutor } from '../executors/local';
import { expandSweep } from '../spec/expand';
import { readStatus, runFiles } from './layout';
import { runSweep } from './run-sweep';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, seconds = 30): Promise<void> {
  for (let i = 0; i < seconds * 20; i++) {
    if (ok()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** An executor that starts the wrappers and returns at once, as a driver killed after starting them would leave them. */
const detached: Executor = {
  name: 'local',
  async execute(tasks) {
    for (const t of tasks)
      spawn('bash', [t.script], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, AML_SWEEP_EXECUTOR: 'local' },
      }).unref();
    return tasks.map((t) => ({ id: t.id, state: 'queued', exitCode: null, log: runFiles(t.dir).log }));
  },
};

describe('resume while earlier runs are still running', () => {
  let dir: string;
  let lines: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-resume-'));
    lines = [];
    process.exitCode = undefined;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });
  const cli = (...args: string[]) =>
    createSweepCommand({
      app: 'test-lab',
      command: TINY_COMMAND,
      resume: TINY_RESUME,
      print: (l) => lines.push(l),
    }).parseAsync(args, { from: 'user' });

  it('not following: exit 3, files marked partial, no best; then --attach waits for them: complete, best named, exit 0', async () => {
    const base = { ...tinyBase(dir), training: { ...tinyBase(dir).training, stepDelayMs: 8 } };
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
    const args = [
      'run',
      '--base',
      join(dir, 'base.json'),
      '--name',
      'p',
      '--set',
      'training.lr=0.1,0.3',
      '--results',
      dir,
    ];
    // The first invocation leaves two runs running (about 1.6 s each) and is gone.
    const spec = tinySweep('p', dir, [{ path: 'training.lr', values: [0.1, 0.3] }], 1, 8);
    const first = await runSweep({ spec, resultsDir: dir, executor: detached });
    expect(first).toMatchObject({ ran: 2, complete: false, unfinished: 2 });
    const runDirs = expandSweep(spec).map((r) => join(dir, 'p/runs', r.id));
    await until('both runs running', () => runDirs.every((d) => readStatus(d)?.state === 'running'));

    await cli(...args, '--no-follow');
    const text = lines.join('\n');
    expect(text).toMatch(/ran 0, succeeded 0, failed 0; skipped 0 finished, 2 in progress/);
    expect(text).toMatch(/PARTIAL: 2 of 2 runs have not finished/);
    expect(text).toMatch(/no best run: 2 of 2 runs have not finished/);
    expect(text).not.toMatch(/^best:/m);
    expect(process.exitCode).toBe(EXIT_PARTIAL);
    expect(existsSync(join(dir, 'p/table.partial.csv'))).toBe(true);
    expect(existsSync(join(dir, 'p/table.csv'))).toBe(false);
    expect(readFileSync(join(dir, 'p/report.partial.html'), 'utf8')).toContain(
      'PARTIAL: 2 of 2 runs have not finished',
    );
    lines = [];
    process.exitCode = undefined;
    await cli('collect', join(dir, 'p')); // collecting by hand says the same
    expect(lines[0].split('\n')[0]).toBe('2 runs (PARTIAL: 2 not finished; no best run)');
    expect(lines.some((l) => l.startsWith('best:'))).toBe(false);
    expect(process.exitCode).toBe(EXIT_PARTIAL);

    lines = [];
    process.exitCode = undefined;
    await cli(...args, '--attach');
    expect(lines.join('\n')).toMatch(/ran 0, succeeded 2, failed 0; followed 2 started earlier/);
    expect(lines.join('\n')).toMatch(/^best: [0-9a-f]{12} \(testMse = /m);
    expect(process.exitCode).toBeUndefined();
    expect(existsSync(join(dir, 'p/table.csv'))).toBe(true);
    expect(existsSync(join(dir, 'p/table.partial.csv'))).toBe(false); // stale partial files go
    expect(
      readFileSync(join(dir, 'p/table.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[1]),
    ).toEqual(['done', 'done']);
  }, 60_000);

  it('a run stopped by SIGTERM checkpoints, counts as preempted (not failed), and continues to the undisturbed metrics', async () => {
    const spec = tinySweep('pre', dir, [], 1, 8); // 200 steps of >= 8 ms
    const [run] = expandSweep(spec);
    const runDir = join(dir, 'a/pre/runs', run.id);
    const pending = runSweep({ spec, resultsDir: join(dir, 'a'), executor: localExecutor() });
    await until(
      'the run to start training',
      () =>
        existsSync(runFiles(runDir).log) &&
        readFileSync(runFiles(runDir).log, 'utf8').includes('tiny-experiment seed='),
    );
    await sleep(600);
    process.kill(readStatus(runDir)!.pid!, 'SIGTERM'); // to the wrapper, as Slurm's preemption does
    const s1 = await pending;
    expect(s1).toMatchObject({ failed: [], succeeded: 0, preempted: 1, complete: false });
    const st = readStatus(runDir)!;
    expect(st).toMatchObject({ state: 'preempted', signal: 'TERM', exitCode: 143 });
    const step = Number(/checkpoint at step (\d+)/.exec(readFileSync(runFiles(runDir).log, 'utf8'))![1]);
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(200);

    const s2 = await runSweep({ spec, resultsDir: join(dir, 'a'), executor: localExecutor() });
    expect(s2).toMatchObject({ ran: 1, succeeded: 1, failed: [], complete: true });
    expect(readStatus(runDir)).toMatchObject({ state: 'done', resumed: true, attempt: 2 });
    expect(readFileSync(runFiles(runDir).log, 'utf8')).toContain(`resumed from step ${step}`);

    const undisturbed = await runSweep({
      spec: tinySweep('pre', dir, [], 1),
      resultsDir: join(dir, 'b'),
      executor: localExecutor(),
    });
    expect(undisturbed.succeeded).toBe(1);
    // stepDelayMs is not in the undisturbed config (so its id differs); the numbers must agree bit for bit.
    const metrics = (root: string, id: string) => readFileSync(join(root, 'pre/runs', id, 'metrics.json'), 'utf8');
    expect(metrics(join(dir, 'a'), run.id)).toBe(
      metrics(join(dir, 'b'), expandSweep(tinySweep('pre', dir, [], 1))[0].id),
    );
  }, 60_000);

  it('--dry-run with --executor slurm lists every run and prints the requeueable array script, writing nothing', async () => {
    writeFileSync(join(dir, 'base.json'), JSON.stringify(tinyBase(dir)));
    await cli(
      'run',
      '--base',
      join(dir, 'base.json'),
      '--name',
      'dry',
      '--set',
      'training.lr=0.1,0.3',
      '--seeds',
      '2',
      '--results',
      join(dir, 'r'),
      '--executor',
      'slurm',
      '--time',
      '00:10:00',
      '--cpus-per-task',
      '2',
      '--dry-run',
    );
    expect(lines[0]).toBe(
      'dry run: sweep dry: 4 runs; would run 4, skip 0 finished, 0 in progress, 0 failed (retry with --retry-failed)',
    );
    expect(lines.slice(1, 5).every((l) => /^ {2}[0-9a-f]{12} run +training\.lr=0\.[13] seed=[01]$/.test(l))).toBe(true);
    const script = lines.slice(5).join('\n');
    for (const l of [
      '#SBATCH --array=0-3',
      '#SBATCH --requeue',
      '#SBATCH --signal=B:USR1@120',
      '#SBATCH --time=00:10:00',
      '#SBATCH --cpus-per-task=2',
      'export AML_SWEEP_MAX_REQUEUES=5',
    ]) {
      expect(script).toContain(l);
    }
    expect(existsSync(join(dir, 'r'))).toBe(false);
  });

  it("a sweep file's resource rules split the runs into one array per set of resources", async () => {
    writeFileSync(join(dir, 'base.json'), JSON.stringify(tinyBase(dir)));
    writeFileSync(
      join(dir, 'res.json'),
      JSON.stringify({
        name: 'res',
        base: 'base.json',
        parameters: { 'training.lr': [0.1, 0.3] },
        seeds: 2,
        slurm: { mem: '1G', resources: [{ when: { 'training.lr': 0.3 }, mem: '4G' }] },
      }),
    );
    await cli('run', join(dir, 'res.json'), '--executor', 'slurm', '--results', join(dir, 'r'), '--dry-run');
    const scripts = lines.join('\n').split('#!/bin/bash').slice(1);
    expect(scripts).toHaveLength(2);
    expect(scripts[0]).toMatch(/#SBATCH --array=0-1\n[\s\S]*#SBATCH --mem=1G/);
    expect(scripts[1]).toMatch(/#SBATCH --array=0-1\n[\s\S]*#SBATCH --mem=4G/);
  });
});

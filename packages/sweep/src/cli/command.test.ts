import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_COMMAND, tinyBase } from '../../tests/fixtures/tiny';
import { createSweepCommand } from './command';

describe('sweep command', () => {
  let dir: string;
  let lines: string[];
  const cli = (...args: string[]) => {
    const cmd = createSweepCommand({ app: 'test-lab', command: TINY_COMMAND, print: (l) => lines.push(l) });
    return cmd.parseAsync(args, { from: 'user' });
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-cli-'));
    writeFileSync(join(dir, 'base.json'), JSON.stringify(tinyBase(dir)));
    lines = [];
    process.exitCode = undefined;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it("says how runs start when the app's command is a choice between a build and ts-node", async () => {
    const run = (choice: { command: string; via: 'built' | 'ts-node'; reason?: string }) =>
      createSweepCommand({ app: 'test-lab', command: () => choice, print: (l) => lines.push(l) }).parseAsync(
        ['run', '--base', join(dir, 'base.json'), '--set', 'training.lr=0.05,0.3', '--results', dir, '--dry-run'],
        { from: 'user' },
      );
    await run({ command: TINY_COMMAND, via: 'ts-node', reason: '/x/src is newer than its build (run npm run build)' });
    expect(lines.at(-1)).toBe(
      'runs start through ts-node, about 0.7 s more CPU per run than a build: /x/src is newer than its build (run npm run build)',
    );
    lines = [];
    await run({ command: TINY_COMMAND, via: 'built' });
    expect(lines.at(-1)).toBe('runs start from the built JavaScript (npm run build output)');
    expect(lines[0]).toMatch(/^dry run: sweep base-sweep: 2 runs/);
  });

  it('runs, collects, resumes without re-running, and reports status', async () => {
    const results = join(dir, 'results');
    const args = [
      'run',
      '--base',
      join(dir, 'base.json'),
      '--name',
      'lr',
      '--set',
      'training.lr=0.05,0.3',
      '--seeds',
      '2',
      '--results',
      results,
      '--jobs',
      '2',
    ];
    await cli(...args);
    expect(lines.join('\n')).toMatch(/sweep lr \(local\): 4 runs; ran 4, succeeded 4, failed 0/);
    expect(lines.join('\n')).toMatch(/best: [0-9a-f]{12} \(testMse = /);
    expect(readFileSync(join(results, 'lr/table.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(existsSync(join(results, 'lr/report.html'))).toBe(true);
    expect(process.exitCode).toBeUndefined();

    lines = [];
    await cli(...args);
    expect(lines.join('\n')).toMatch(/4 runs; ran 0, succeeded 0, failed 0; skipped 4 finished/);

    lines = [];
    await cli('status', join(results, 'lr'));
    expect(lines[0]).toBe(
      `${join(results, 'lr')}: 4 runs: 4 done, 0 failed, 0 running, 0 queued, 0 interrupted, 0 not started`,
    );
    expect(lines.filter((l) => / done +exit 0 training\.lr=0\.3 seed=1$/.test(l))).toHaveLength(1);
  });

  it('names a failed run with its exit code and log, and exits non-zero', async () => {
    writeFileSync(join(dir, 'fail-seed-0'), '');
    await cli(
      'run',
      '--base',
      join(dir, 'base.json'),
      '--name',
      'f',
      '--seed-list',
      '0,1',
      '--results',
      dir,
      '--no-collect',
    );
    const failed = lines
      .join('\n')
      .split('\n')
      .find((l) => l.startsWith('FAILED'));
    expect(failed).toMatch(/^FAILED [0-9a-f]{12} \(seed=0\): exit code 3; log .*\/f\/runs\/[0-9a-f]{12}\/output\.txt$/);
    expect(process.exitCode).toBe(1);
    // A run left 'running' by a process that no longer exists shows as interrupted.
    const other = readdirSync(join(dir, 'f/runs')).find((id) => !failed!.includes(id))!;
    writeFileSync(
      join(dir, 'f/runs', other, 'status.json'),
      JSON.stringify({ state: 'running', executor: 'local', host: hostname(), pid: 2 ** 22 + 12345 }),
    );
    lines = [];
    await cli('status', join(dir, 'f'));
    expect(lines.some((l) => / failed +exit 3 +seed=0 log /.test(l))).toBe(true);
    expect(lines[0]).toMatch(/2 runs: 0 done, 1 failed, 0 running, 0 queued, 1 interrupted, 0 not started$/);
  });

  it.each([
    [['--set', 'training.lrr=0.1,0.3'], 'parameter training.lrr: no such key in'],
    [['--set', 'training.lr='], 'parameter training.lr: empty value list'],
    [
      ['--set', 'training.steps=100,many'],
      'parameter training.steps: value 2 "many" is a string, but the base config holds a number (200)',
    ],
    [['--set', 'model.powers=[1];[1,"x"]'], 'parameter model.powers: value 2 [1,"x"] holds "x" (string)'],
    [['--seeds', '0'], '--seeds: expected a positive integer, got "0"'],
    [['--seeds', '2', '--mem', '4 GB'], 'mem: use a number with an optional K/M/G/T suffix'],
  ])('rejects %j before writing anything', async (extra, message) => {
    const results = join(dir, 'results');
    await expect(cli('run', '--base', join(dir, 'base.json'), '--results', results, ...extra)).rejects.toThrow(message);
    expect(existsSync(results)).toBe(false);
  });

  it('reads a sweep file, flags overriding it; a dry run writes nothing', async () => {
    writeFileSync(
      join(dir, 'sweep.json'),
      JSON.stringify({ name: 'file', base: 'base.json', parameters: { 'training.lr': [0.1, 0.2, 0.3] }, seeds: 2 }),
    );
    await cli('run', join(dir, 'sweep.json'), '--seeds', '1', '--results', join(dir, 'r'), '--dry-run');
    expect(lines[0]).toBe(
      'dry run: sweep file: 3 runs; would run 3, skip 0 finished, 0 in progress, 0 failed (retry with --retry-failed)',
    );
    // every run with its varied values, one line each
    expect(lines.slice(1)).toEqual(
      [0.1, 0.2, 0.3].map((lr) =>
        expect.stringMatching(new RegExp(`^  [0-9a-f]{12} run +training\\.lr=${lr} seed=0$`)),
      ),
    );
    expect(existsSync(join(dir, 'r'))).toBe(false);
  });

  it("appends --run-args to every run's command", async () => {
    writeFileSync(
      join(dir, 'sweep.json'),
      JSON.stringify({ name: 'args', base: 'base.json', parameters: {}, seeds: 1 }),
    );
    await cli(
      'run',
      join(dir, 'sweep.json'),
      '--results',
      join(dir, 'r'),
      '--run-args',
      '--extra-flag',
      '--no-collect',
    );
    const record = JSON.parse(readFileSync(join(dir, 'r/args/sweep.json'), 'utf8'));
    expect(record.command).toBe(`${TINY_COMMAND} --extra-flag`);
  });

  it("checks each expanded config with the app's validator before anything runs", async () => {
    const cmd = createSweepCommand({
      app: 'test-lab',
      command: TINY_COMMAND,
      print: () => {},
      validateConfig: (c) => {
        if ((c.training as { lr: number }).lr > 1) throw new Error('training.lr must be at most 1');
      },
    });
    const results = join(dir, 'results');
    await expect(
      cmd.parseAsync(['run', '--base', join(dir, 'base.json'), '--set', 'training.lr=0.5,2', '--results', results], {
        from: 'user',
      }),
    ).rejects.toThrow('run training.lr=2 seed=0: training.lr must be at most 1');
    expect(existsSync(results)).toBe(false);
  });
});

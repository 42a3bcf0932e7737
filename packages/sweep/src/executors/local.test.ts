import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinySweep } from '../../tests/fixtures/tiny';
import { readStatus } from '../runs/layout';
import { LOCK_FILE } from '../runs/lock';
import { hostname } from 'node:os';
import { mkdirSync } from 'node:fs';
import { runSweep } from '../runs/run-sweep';
import { expandSweep } from '../spec/expand';
import { localExecutor } from './local';

/** The tiny experiment's fit, recomputed here as the oracle: least squares on these powers must reach
 *  the noise floor, so the test MSE against the noise-free target is far below the target's variance. */
describe('local executor', () => {
  it.each([0, 2.5, -1])('refuses a pool size of %p, naming jobs and the value', (jobs) => {
    expect(() => localExecutor({ jobs })).toThrow(`local executor: jobs must be a positive integer, got ${jobs}`);
  });
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-local-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a 4-run sweep, records a failure with its exit code and log, retries it, and re-runs nothing after', async () => {
    const spec = tinySweep('tiny', dir, [{ path: 'model.powers', values: [[1], [1, 2]] }], 2);
    const runs = expandSweep(spec);
    expect(runs).toHaveLength(4);
    writeFileSync(join(dir, 'fail-seed-1'), '');
    const results = join(dir, 'results');
    const events: string[] = [];
    const s1 = await runSweep({
      spec,
      resultsDir: results,
      executor: localExecutor({ jobs: 2 }),
      onEvent: (e) => events.push(`${e.id}:${e.state}`),
    });
    expect(s1).toMatchObject({ total: 4, ran: 4, succeeded: 2, skippedDone: 0 });
    expect(s1.failed.map((f) => f.exitCode)).toEqual([3, 3]);
    const failedLog = readFileSync(s1.failed[0].log, 'utf8');
    expect(failedLog).toContain('failing on purpose');
    expect(s1.failed[0].label).toMatch(/seed=1$/);
    expect(events.filter((e) => e.endsWith(':running'))).toHaveLength(4);

    // The fit reaches the noise floor only with the quadratic term: the oracle is the model class.
    const metrics = (id: string) => JSON.parse(readFileSync(join(results, 'tiny/runs', id, 'metrics.json'), 'utf8'));
    const quad = runs.find((r) => r.seed === 0 && JSON.stringify(r.values['model.powers']) === '[1,2]')!;
    const lin = runs.find((r) => r.seed === 0 && JSON.stringify(r.values['model.powers']) === '[1]')!;
    expect(metrics(quad.id).testMse).toBeLessThan(1e-3);
    expect(metrics(lin.id).testMse).toBeGreaterThan(1e-2); // missing x^2: error ~ var of 0.8 x^2 part
    const doneMtime = statSync(join(results, 'tiny/runs', quad.id, 'metrics.json')).mtimeMs;

    // Without --retry-failed nothing runs; the failures are named.
    const s2 = await runSweep({ spec, resultsDir: results, executor: localExecutor() });
    expect(s2).toMatchObject({ ran: 0, skippedDone: 2 });
    expect(s2.failedNotRetried.map((f) => f.id).sort()).toEqual(s1.failed.map((f) => f.id).sort());

    // Retry: the flag is gone, the failed runs complete; the earlier log is kept aside.
    rmSync(join(dir, 'fail-seed-1'));
    const s3 = await runSweep({ spec, resultsDir: results, executor: localExecutor(), retryFailed: true });
    expect(s3).toMatchObject({ ran: 2, succeeded: 2, skippedDone: 2, failed: [] });
    const retried = join(results, 'tiny/runs', s1.failed[0].id);
    expect(readFileSync(join(retried, 'output.attempt1.txt'), 'utf8')).toContain('failing on purpose');
    expect(readStatus(retried)).toMatchObject({ state: 'done', exitCode: 0, attempt: 2, executor: 'local' });

    // A second invocation re-runs nothing and leaves finished runs untouched.
    const s4 = await runSweep({ spec, resultsDir: results, executor: localExecutor(), retryFailed: true });
    expect(s4).toMatchObject({ ran: 0, skippedDone: 4, failed: [] });
    expect(statSync(join(results, 'tiny/runs', quad.id, 'metrics.json')).mtimeMs).toBe(doneMtime);
  });

  it('refuses to run a finished run again even when its script is invoked directly', async () => {
    const spec = tinySweep('once', dir, [], 1);
    await runSweep({ spec, resultsDir: dir, executor: localExecutor() });
    const [run] = expandSweep(spec);
    const runDir = join(dir, 'once/runs', run.id);
    const before = statSync(join(runDir, 'metrics.json')).mtimeMs;
    const again = await localExecutor().execute(
      [{ id: run.id, dir: runDir, script: join(runDir, 'run.sh'), label: 'x' }],
      join(dir, 'once'),
    );
    expect(again[0].state).toBe('done');
    expect(statSync(join(runDir, 'metrics.json')).mtimeMs).toBe(before);
    expect(existsSync(join(runDir, 'output.attempt1.txt'))).toBe(false);
  });

  it('stops before writing anything when the base config changed under an existing run id', async () => {
    const spec = tinySweep('changed', dir, [], 1);
    await runSweep({ spec, resultsDir: dir, executor: localExecutor() });
    const changed = { ...spec, base: { ...spec.base, training: { lr: 0.1, steps: 200, points: 32 } } };
    await expect(runSweep({ spec: changed, resultsDir: dir, executor: localExecutor() })).rejects.toThrow(
      /already exist with a different config.*use a new sweep name/,
    );
  });

  it('refuses a second invocation while one holds the sweep, and takes over a stale lock', async () => {
    const spec = tinySweep('locked', dir, [], 1);
    mkdirSync(join(dir, 'locked'), { recursive: true });
    const lock = join(dir, 'locked', LOCK_FILE);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: 'now' }));
    await expect(runSweep({ spec, resultsDir: dir, executor: localExecutor() })).rejects.toThrow(
      `sweep ${join(dir, 'locked')} is being run by another invocation (pid ${process.pid} on ${hostname()}, since now)`,
    );
    expect(existsSync(join(dir, 'locked/runs'))).toBe(false);
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: 'long ago' })); // above pid_max: no such process
    const s = await runSweep({ spec, resultsDir: dir, executor: localExecutor() });
    expect(s).toMatchObject({ ran: 1, succeeded: 1 });
    expect(existsSync(lock)).toBe(false); // released
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  expandSweep,
  localExecutor,
  localSlurmSupport,
  makeSweepSpec,
  readJsonObject,
  readStatus,
  runSweep,
  slurmExecutor,
  startLocalSlurm,
  type Json,
} from '@aml/sweep';
import { RUN_COMMAND, sweep } from './sweep';

describe('pde-lab sweep', () => {
  let dir: string;
  let out: string[];
  // The shipped heat experiment, as a file of the user's: every expanded config is checked in full.
  const experiment = { ...readJsonObject(resolve(__dirname, '../configs/heat.json'), 'heat'), seed: 0 };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pde-sweep-'));
    writeFileSync(join(dir, 'heat.json'), JSON.stringify(experiment));
    out = [];
    jest.spyOn(console, 'log').mockImplementation((l: string) => void out.push(l));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each config through pde-lab run with its own folder', () => {
    expect(sweep.name()).toBe('sweep');
    expect(RUN_COMMAND).toMatch(
      /ts-node.* --swc .*apps\/pde-lab\/src\/main\.ts run --config \{config\} --out \{out\} --force$/,
    );
  });

  it("plans the issue's example sweep (2 sizes x 2 point counts x 3 seeds) without writing anything on --dry-run", async () => {
    const results = join(dir, 'results');
    await sweep.parseAsync(
      [
        'run',
        '--base',
        join(dir, 'heat.json'),
        '--set',
        'problem.network.layers=[20,20,20];[50,50,50]',
        '--set',
        'problem.training.points.domain=2000,10000',
        '--seeds',
        '3',
        '--results',
        results,
        '--dry-run',
      ],
      { from: 'user' },
    );
    expect(out[0]).toBe(
      'dry run: sweep heat-sweep: 12 runs; would run 12, skip 0 finished, 0 in progress, 0 failed (retry with --retry-failed)',
    );
    expect(out.slice(1, -1)).toHaveLength(12); // one line per run: id, action, varied values, seed
    expect(out.at(-1)).toMatch(/^runs start (from the built JavaScript|through ts-node)/);
    expect(out[1]).toMatch(
      /^ {2}[0-9a-f]{12} run +problem\.network\.layers=\[20,20,20\] problem\.training\.points\.domain=2000 seed=0$/,
    );
    expect(existsSync(results)).toBe(false);
  });

  it('plans the shipped sweep file configs/sweeps/heat-sizes.json', async () => {
    await sweep.parseAsync(
      ['run', resolve(__dirname, '../configs/sweeps/heat-sizes.json'), '--results', join(dir, 'results'), '--dry-run'],
      { from: 'user' },
    );
    expect(out[0]).toBe(
      'dry run: sweep heat-sizes: 12 runs; would run 12, skip 0 finished, 0 in progress, 0 failed (retry with --retry-failed)',
    );
  });

  it('rejects configs the experiment schema rejects, and unknown paths, before anything is written', async () => {
    const results = join(dir, 'results');
    const run = (...set: string[]) =>
      sweep.parseAsync(['run', '--base', join(dir, 'heat.json'), '--results', results, ...set], { from: 'user' });
    await expect(run('--set', 'report.grid=1,51')).rejects.toThrow(
      /run report\.grid=1 seed=0: .*report\.grid must be an integer >= 2, got 1/s,
    );
    await expect(run('--set', 'problem.network.layerz=[5]')).rejects.toThrow(
      'parameter problem.network.layerz: no such key in',
    );
    expect(existsSync(results)).toBe(false);
    // The problem inside the experiment is checked as `pde-lab run` parses it: a misspelt activation never reaches a node.
    await expect(run('--set', 'problem.network.activation=tanh,tanhh', '--executor', 'slurm')).rejects.toThrow(
      /run problem\.network\.activation="tanhh" seed=0: problem: invalid config: network\.activation: Invalid option: expected one of .*"tanh"/,
    );
    // and with the quick block merged in: a quick width that is invalid fails too
    await expect(run('--set', 'quick.network.layers=[8,8];[0]')).rejects.toThrow(
      /run quick\.network\.layers=\[0\] seed=0: .*quick block/s,
    );
    expect(existsSync(results)).toBe(false);
  });
});

/** metrics.json without its timing fields (wall and phase seconds differ from run to run). */
function withoutTimings(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutTimings);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !/seconds/i.test(k))
        .map(([k, x]) => [k, withoutTimings(x)]),
    );
  return v;
}

const support = localSlurmSupport();
const inCI = process.env.CI === 'true' || process.env.CI === '1';
if (!support.ok && !inCI) console.warn(`SKIPPING the pde-lab sweep on Slurm: ${support.reason}`);

describe('pde-lab sweep end to end (exp-decay --quick, 2 widths x 2 seeds)', () => {
  let dir: string;
  const spec = () =>
    makeSweepSpec({
      name: 'decay',
      base: readJsonObject(resolve(__dirname, '../configs/exp-decay.json'), 'base config'),
      parameters: [{ path: 'problem.network.layers', values: [[5], [10]] }],
      seeds: 2,
      seedPath: 'seed',
      command: `${RUN_COMMAND} --quick --backend wasm`,
    });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pde-sweep-e2e-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs locally: every run writes its results folder with errors against the exact solution', async () => {
    const s = await runSweep({ spec: spec(), resultsDir: join(dir, 'local'), executor: localExecutor({ jobs: 2 }) });
    expect(s).toMatchObject({ total: 4, succeeded: 4, failed: [] });
    for (const run of expandSweep(spec())) {
      const m = JSON.parse(readFileSync(join(dir, 'local/decay/runs', run.id, 'metrics.json'), 'utf8'));
      expect(m).toMatchObject({ seed: run.seed, quick: true, backend: { name: 'wasm' } });
      expect(m.errors.u.relL2).toBeGreaterThan(0); // a 13-step run is far from converged, but measured
      expect(existsSync(join(dir, 'local/decay/runs', run.id, 'report.html'))).toBe(true);
    }
  });

  it('a run stopped by SIGTERM checkpoints, is recorded preempted (not failed), and the next invocation resumes it with run --resume', async () => {
    const long = makeSweepSpec({
      name: 'pre',
      base: readJsonObject(resolve(__dirname, '../configs/exp-decay.json'), 'base config'),
      parameters: [{ path: 'problem.training.adam.steps', values: [1500] }],
      seeds: 1,
      seedPath: 'seed',
      command: `${RUN_COMMAND} --backend wasm`,
      resume: { args: '--resume', drop: ['--force'], checkpoint: 'checkpoint' },
    });
    const runDir = join(dir, 'pre/pre/runs', expandSweep(long)[0].id);
    const log = () => (existsSync(join(runDir, 'output.txt')) ? readFileSync(join(runDir, 'output.txt'), 'utf8') : '');
    const first = runSweep({ spec: long, resultsDir: join(dir, 'pre'), executor: localExecutor() });
    for (let i = 0; i < 1200 && !/adam step/.test(log()); i++) await new Promise((r) => setTimeout(r, 100));
    process.kill(readStatus(runDir)!.pid!, 'SIGTERM'); // to the wrapper, as Slurm's preemption signals the batch shell
    const s1 = await first;
    expect(s1).toMatchObject({ failed: [], preempted: 1, complete: false });
    expect(readStatus(runDir)).toMatchObject({ state: 'preempted', signal: 'TERM', exitCode: 143 });
    expect(existsSync(join(runDir, 'checkpoint'))).toBe(true);
    const s2 = await runSweep({ spec: long, resultsDir: join(dir, 'pre'), executor: localExecutor() });
    expect(s2).toMatchObject({ succeeded: 1, failed: [], complete: true });
    expect(readStatus(runDir)).toMatchObject({ state: 'done', resumed: true, attempt: 2 });
    expect(log()).toMatch(/^resume exp-decay /m);
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    expect(m.steps).toBeGreaterThanOrEqual(1500); // the whole schedule, across both attempts
  }, 180_000);

  (support.ok || inCI ? it : it.skip)('gives the same metrics per run through Slurm as locally', async () => {
    if (!support.ok) throw new Error(`CI requires Slurm for the sweep tests: ${support.reason}`);
    const cluster = await startLocalSlurm();
    try {
      const s = await runSweep({
        spec: spec(),
        resultsDir: join(dir, 'slurm'),
        executor: slurmExecutor({ env: cluster.env, slurm: { pollSeconds: 0.3 } }),
      });
      expect(s).toMatchObject({ total: 4, succeeded: 4, failed: [] });
    } finally {
      await cluster.stop();
    }
    for (const run of expandSweep(spec())) {
      const read = (where: string) =>
        withoutTimings(JSON.parse(readFileSync(join(dir, where, 'decay/runs', run.id, 'metrics.json'), 'utf8')));
      expect(read('slurm')).toEqual(read('local'));
    }
  });
});

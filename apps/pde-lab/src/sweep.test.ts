import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_COMMAND, sweep } from './sweep';

describe('pde-lab sweep', () => {
  let dir: string;
  let out: string[];
  const experiment = {
    description: 'heat equation, small',
    problem: { network: { layers: [20, 20, 20], activation: 'tanh' }, training: { points: 2000 } },
    report: { grid: 51 },
    seed: 0,
  };
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
    expect(RUN_COMMAND).toMatch(/ts-node.* --swc .*apps\/pde-lab\/src\/main\.ts run --config \{config\} --out \{out\} --force$/);
  });

  it('plans the issue\'s example sweep (2 sizes x 2 point counts x 3 seeds) without writing anything on --dry-run', async () => {
    const results = join(dir, 'results');
    await sweep.parseAsync(['run', '--base', join(dir, 'heat.json'), '--set', 'problem.network.layers=[20,20,20];[50,50,50]', '--set', 'problem.training.points=2000,10000', '--seeds', '3', '--results', results, '--dry-run'], { from: 'user' });
    expect(out).toEqual(['dry run: sweep heat-sweep: 12 runs; would run 12, skip 0 finished, 0 in progress, 0 failed (retry with --retry-failed)']);
    expect(existsSync(results)).toBe(false);
  });

  it('rejects configs the experiment schema rejects, and unknown paths, before anything is written', async () => {
    const results = join(dir, 'results');
    const run = (...set: string[]) => sweep.parseAsync(['run', '--base', join(dir, 'heat.json'), '--results', results, ...set], { from: 'user' });
    await expect(run('--set', 'report.grid=1,51')).rejects.toThrow(/run report\.grid=1 seed=0: .*report\.grid must be at least 2 points per axis/s);
    await expect(run('--set', 'problem.network.layerz=[5]')).rejects.toThrow('parameter problem.network.layerz: no such key in');
    expect(existsSync(results)).toBe(false);
  });
});

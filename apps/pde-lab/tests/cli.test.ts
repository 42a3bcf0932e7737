/**
 * The CLI end to end, in-process: list, run (quick) with its results folder and --force protection,
 * eval against generated CSV, NPY and MAT references, and bad configs failing before training.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeMat, writeNpy } from '@aml/data';
import { pinnAdapter } from '../src/adapter/pinn';
import { buildProgram } from '../src/cli/program';
import { EXPERIMENTS_DIR } from '../src/catalog/catalog';
import { removeDir, tempDir } from '../src/testing/tmp';

const exact = (x: number, t: number) => Math.exp(-Math.PI * Math.PI * t) * Math.sin(Math.PI * x);

describe('pde-lab CLI', () => {
  let root: string;
  let printed: string[];
  const cli = async (...args: string[]) => {
    const program = buildProgram({
      adapter: pinnAdapter,
      out: (t) => printed.push(t),
      helpOut: (t) => printed.push(t),
      helpErr: (t) => printed.push(t),
      log: null,
    });
    await program.parseAsync(args, { from: 'user' });
  };
  beforeAll(() => (root = tempDir()));
  afterAll(() => removeDir(root));
  beforeEach(() => (printed = []));

  it('list names every shipped experiment with its description', async () => {
    await cli('list');
    const text = printed.join('\n');
    const names = fs
      .readdirSync(EXPERIMENTS_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(text).toMatch(new RegExp(`^${n} +\\S`, 'm'));
    expect(text).toContain('Rod heat equation u_t = u_xx');
  });

  it('--help explains the commands and the run options', async () => {
    await expect(cli('run', '--help')).rejects.toThrow();
    const text = printed.join('');
    for (const s of [
      '--force',
      '--seed <n>',
      '--backend <name>',
      '--steps <n>',
      '--quick',
      '--out <dir>',
      'pde-lab run heat',
    ])
      expect(text).toContain(s);
  });

  it.each([
    [['--steps', '0'], '--steps must be a positive integer, got 0'],
    [['--steps', '2.5'], '--steps must be a positive integer, got 2.5'],
    [['--checkpoint-every', 'ten'], '--checkpoint-every must be a positive integer, got "ten"'],
    [['--checkpoint-seconds', '0'], '--checkpoint-seconds must be a finite number > 0, got 0'],
  ])("a bad flag %j is refused by core's shared rule, naming the flag and the value", async (flags, message) => {
    await expect(cli('run', 'heat', '--out', path.join(root, 'never'), ...flags)).rejects.toThrow(message);
    expect(fs.existsSync(path.join(root, 'never'))).toBe(false);
  });

  describe('heat, quick', () => {
    const out = () => path.join(root, 'heat');

    it('runs and writes the results folder; the loss is finite and decreases', async () => {
      await cli('run', 'heat', '--quick', '--backend', 'wasm', '--out', out());
      for (const f of ['config.json', 'metrics.json', 'report.html', 'log.txt', 'model/manifest.json'])
        expect(fs.existsSync(path.join(out(), f))).toBe(true);
      const m = JSON.parse(fs.readFileSync(path.join(out(), 'metrics.json'), 'utf8'));
      expect(m.backend.name).toBe('wasm');
      expect(m.engine).toBe('fused'); // a plain MLP on wasm: the engine that ran, not only the one asked for
      expect(m.quick).toBe(true);
      expect(m.steps).toBe(40); // 30 Adam + 10 L-BFGS (the quick block)
      expect(Number.isFinite(m.finalLoss)).toBe(true);
      const log = fs.readFileSync(path.join(out(), 'log.txt'), 'utf8');
      const first = Number(/adam step 1\/30 \(3%\) loss (\S+)/.exec(log)![1]);
      expect(m.finalLoss).toBeLessThan(first / 5);
      // progress lines name the phase: Adam, then L-BFGS counting its own steps
      expect(log).toMatch(/adam step 30\/30 \(100%\) loss \S+ \[pde \S+\] lr 1\.00e-2 [\d.]+ steps\/s ETA 0s/);
      expect(log).toMatch(/lbfgs step 10\/10 \(100%\)/);
      expect(Number.isFinite(m.errors.u.relL2)).toBe(true);
      // FTCS at the stability limit: error cos(pi dx)^n - exp(-pi^2 t) at x = 1/2 (n = t / dt steps)
      const ftcs = m.baselines['FTCS dx=0.1']['t=0.05'].ftcs.maxAbs;
      expect(ftcs).toBeCloseTo(Math.abs(Math.cos(Math.PI * 0.1) ** 10 - Math.exp(-Math.PI * Math.PI * 0.05)), 10);
      const html = fs.readFileSync(path.join(out(), 'report.html'), 'utf8');
      for (const s of ['loss per term', 'network u', 'error u - reference', 'u at t = 0.05', 'FTCS dx=0.01'])
        expect(html).toContain(s);
      // config.json is a runnable experiment with the resolved problem
      const cfg = JSON.parse(fs.readFileSync(path.join(out(), 'config.json'), 'utf8'));
      expect(cfg.problem.training.adam.steps).toBe(30);
      expect(cfg.quick).toBeUndefined();
    });

    it('refuses to overwrite the run without --force, naming the folder and the flag; --force replaces it', async () => {
      const before = fs.readFileSync(path.join(out(), 'metrics.json'), 'utf8');
      await expect(cli('run', 'heat', '--quick', '--backend', 'wasm', '--out', out())).rejects.toThrow(
        `${out()} already holds a run (metrics.json, report.html, checkpoint). Re-run with --force to overwrite it, or pick another folder with --out <dir>.`,
      );
      expect(fs.readFileSync(path.join(out(), 'metrics.json'), 'utf8')).toBe(before);
      fs.writeFileSync(path.join(out(), 'notes.txt'), 'mine');
      await cli('run', 'heat', '--quick', '--backend', 'wasm', '--out', out(), '--force', '--seed', '3');
      expect(JSON.parse(fs.readFileSync(path.join(out(), 'metrics.json'), 'utf8')).seed).toBe(3);
      expect(fs.readFileSync(path.join(out(), 'notes.txt'), 'utf8')).toBe('mine');
    });

    it('the same seed gives the same run', async () => {
      const again = path.join(root, 'heat-again');
      await cli('run', 'heat', '--quick', '--backend', 'wasm', '--out', again, '--seed', '3');
      const a = JSON.parse(fs.readFileSync(path.join(out(), 'metrics.json'), 'utf8'));
      const b = JSON.parse(fs.readFileSync(path.join(again, 'metrics.json'), 'utf8'));
      expect(b.finalLoss).toBe(a.finalLoss);
      expect(b.errors).toEqual(a.errors);
      const weights = (d: string) =>
        fs.readFileSync(
          path.join(d, 'model', JSON.parse(fs.readFileSync(path.join(d, 'model/manifest.json'), 'utf8')).weightsFile),
        );
      expect(weights(again).equals(weights(out()))).toBe(true);
    });

    it('eval scores the checkpoint against CSV, NPY and MAT grids: the same error the run measured on that grid', async () => {
      const m = JSON.parse(fs.readFileSync(path.join(out(), 'metrics.json'), 'utf8'));
      // The run scored a 21 x 21 grid over [0,1]^2 (quick): write exactly that grid with the exact solution.
      const rows: number[][] = [];
      for (let j = 0; j < 21; j++) for (let i = 0; i < 21; i++) rows.push([i / 20, j / 20, exact(i / 20, j / 20)]);
      const csv = path.join(root, 'ref.csv');
      fs.writeFileSync(csv, 't,x,u\n' + rows.map(([x, t, u]) => `${t},${x},${u}`).join('\n') + '\n');
      await cli('eval', out(), '--reference', csv, '--json', '--backend', 'wasm');
      const r = JSON.parse(printed[printed.length - 1]);
      expect(r.points).toBe(441);
      expect(r.errors.u.relL2).toBeCloseTo(m.errors.u.relL2, 5);
      expect(r.errors.u.maxAbs).toBeCloseTo(m.errors.u.maxAbs, 5);
      const npy = path.join(root, 'ref.npy');
      writeNpy(npy, { shape: [rows.length, 3], data: Float64Array.from(rows.flat()) });
      await cli('eval', out(), '--reference', npy, '--json', '--backend', 'wasm');
      const q = JSON.parse(printed[printed.length - 1]);
      expect(q.errors.u.relL2).toBeCloseTo(r.errors.u.relL2, 12);
      // columns named explicitly, in another order
      writeNpy(npy, { shape: [rows.length, 3], data: Float64Array.from(rows.flatMap(([x, t, u]) => [u, x, t])) });
      await cli('eval', out(), '--reference', npy, '--columns', 'u,x,t');
      expect(printed[printed.length - 1]).toMatch(/^reference .*ref\.npy \(441 points\)\noutput +rel L2/);
      // the same grid in Raissi's .mat layout: axis vectors and usol[i, j] = u(x_i, t_j), names mapped with --keys
      const axis = Array.from({ length: 21 }, (_, i) => i / 20);
      const mat = path.join(root, 'ref.mat');
      writeMat(
        mat,
        {
          xx: { shape: [21, 1], data: axis },
          tt: { shape: [21, 1], data: axis },
          usol: { shape: [21, 21], data: axis.flatMap((x) => axis.map((t) => exact(x, t))) },
        },
        { compress: true },
      );
      await cli('eval', out(), '--reference', mat, '--keys', 'x=xx,t=tt,u=usol', '--json', '--backend', 'wasm');
      const v = JSON.parse(printed[printed.length - 1]);
      expect(v.points).toBe(441);
      expect(v.errors.u.relL2).toBeCloseTo(r.errors.u.relL2, 12);
      expect(v.errors.u.maxAbs).toBeCloseTo(r.errors.u.maxAbs, 12);
      await expect(cli('eval', out(), '--reference', mat)).rejects.toThrow(
        "ref.mat: no array for input x (looked for 'x'), t (looked for 't'); the file has xx (21, 1) float64, tt (21, 1) float64, usol (21, 21) float64",
      );
      await expect(cli('eval', root, '--reference', csv)).rejects.toThrow(
        `${root} is not a results folder (no config.json)`,
      );
    });
  });

  it('runs a bare problem config given with --config (as a sweep does), --quick shrinking it generically, --steps keeping the phase split', async () => {
    const file = path.join(root, 'decay.json');
    // a reference grid file next to the config (problem.reference.file), scored after training
    fs.writeFileSync(
      path.join(root, 'decay-ref.csv'),
      'u,t\n' + [0, 0.25, 0.5, 1].map((t) => `${10 * Math.exp(-2 * t)},${t}`).join('\n') + '\n',
    );
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'decay',
        description: "g' = -2g by a trial solution",
        domain: { t: [0, 1] },
        equation: 'u_t = -2*u',
        constraint: { h1: '10', h2: 't' },
        network: { layers: [50, 50] },
        training: { points: { domain: 500 }, adam: { steps: 3000 }, lbfgs: { steps: 1000 } },
        reference: { exact: '10*exp(-2*t)', file: 'decay-ref.csv' },
      }),
    );
    const out = path.join(root, 'decay');
    await cli('run', '--config', file, '--quick', '--steps', '12', '--backend', 'wasm', '--out', out);
    const m = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    // generic quick: [8, 8] network, 5 Adam + 2 L-BFGS steps; --steps 12 then splits 5:2 -> 9 + 3
    expect(m.phases.map((p: { name: string; steps: number }) => [p.name, p.steps])).toEqual([
      ['adam', 9],
      ['lbfgs', 3],
    ]);
    const cfg = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(cfg.description).toBe("g' = -2g by a trial solution");
    expect(cfg.problem.network.layers).toEqual([8, 8]);
    expect(cfg.problem.training.points.domain).toBe(64);
    // the trial solution g = 10 + t N holds g(0) = 10 whatever the network: eval at t = 0 sees no error
    const ref = path.join(root, 'decay-t0.csv');
    fs.writeFileSync(ref, 't,u\n0,10\n0,10\n');
    await cli('eval', out, '--reference', ref, '--json');
    expect(JSON.parse(printed[printed.length - 1]).errors.u.maxAbs).toBeLessThan(1e-5);
    await expect(cli('run', 'heat', '--config', file)).rejects.toThrow(
      'give either an experiment argument or --config, not both',
    );
    // the file's score in metrics.json is what eval gives on the same file
    expect(m.fileErrors.points).toBe(4);
    await cli('eval', out, '--reference', path.join(root, 'decay-ref.csv'), '--json');
    expect(m.fileErrors.u.relL2).toBeCloseTo(JSON.parse(printed[printed.length - 1]).errors.u.relL2, 6);
  });

  describe('bad configs fail before training, with the field and the fix', () => {
    let dir: string;
    const base = JSON.parse(fs.readFileSync(path.join(EXPERIMENTS_DIR, 'heat.json'), 'utf8'));
    const variant = (name: string, edit: (e: typeof base) => void) => {
      const e = structuredClone(base);
      edit(e);
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(e));
      return name;
    };
    beforeAll(() => (dir = tempDir()));
    afterAll(() => removeDir(dir));
    const run = (name: string) => {
      const program = buildProgram({
        adapter: pinnAdapter,
        out: () => undefined,
        helpErr: () => undefined,
        log: null,
        experimentsDir: dir,
      });
      return program.parseAsync(['run', name, '--quick', '--out', path.join(dir, 'out', name)], { from: 'user' });
    };

    it.each([
      [
        'unknown symbol',
        (e: typeof base) => (e.problem.equation = 'u_t = nu*u_xx'),
        'equation "u_t = nu*u_xx": unknown symbol nu; known symbols are x, t, u',
      ],
      [
        'empty domain',
        (e: typeof base) => (e.problem.domain.x = [1, 1]),
        'domain: box: x in [1, 1] is empty; the upper bound must exceed the lower bound',
      ],
      [
        'negative resolution',
        (e: typeof base) => (e.problem.training.points.domain = -100),
        'problem: invalid config: training.points.domain: must be a positive integer',
      ],
      [
        'typo in a problem key',
        (e: typeof base) => ((e.problem.netwrk = e.problem.network), delete e.problem.network),
        "unknown key 'netwrk' (did you mean 'network'?)",
      ],
      [
        'typo in an experiment key',
        (e: typeof base) => ((e.reprot = e.report), delete e.report),
        "unknown key 'reprot' (did you mean 'report'?)",
      ],
      [
        'wrong dimension',
        (e: typeof base) => e.problem.conditions.push({ type: 'observations', points: [[0.5]], values: [1] }),
        'observations: point 0 has 1 coordinates; the domain has 2 (x, t)',
      ],
      [
        'slice on a missing input',
        (e: typeof base) => (e.report.slices.axis = 'y'),
        "report.slices.axis 'y' is not an input; use one of x, t",
      ],
      [
        'missing reference file',
        (e: typeof base) => (e.problem.reference.file = 'nowhere.csv'),
        'nowhere.csv: file not found',
      ],
      ['negative report grid', (e: typeof base) => (e.report.grid = -5), 'report.grid must be an integer >= 2, got -5'],
      [
        'unstable FTCS baseline',
        (e: typeof base) => (e.baselines[0].r = 0.6),
        'baselines[0]: ftcs.r = 0.6 is above the stability limit 1/2',
      ],
      [
        'FTCS dx that does not divide the rod',
        (e: typeof base) => (e.baselines[1].dx = 0.3),
        'baselines[1]: ftcs.dx = 0.3 does not divide [0, 1] into whole cells',
      ],
    ])('%s', async (name, edit, message) => {
      const n = variant(name.replace(/ /g, '-'), edit);
      await expect(run(n)).rejects.toThrow(message);
      // nothing was written: the config failed before the results folder was touched
      expect(fs.existsSync(path.join(dir, 'out', n))).toBe(false);
    });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBaselines } from '../baselines/run-baselines';
import { removeDir, tempDir } from '../testing/tmp';
import { evaluateOnGrid } from './evaluate';
import { plotGrid, slicePoints } from '@aml/pinn';
import { buildPdeReport, compactJson } from './pde-report';
import type { SolutionView } from './solution';

// A known field and a "prediction" off by exactly eps * exact: relative L2 must be eps.
const exact = (x: number, t: number) => Math.exp(-(Math.PI ** 2) * t) * Math.sin(Math.PI * x);
const eps = 1e-3;
const onPoints = (f: (x: number, t: number) => number) => (p: Float64Array) => {
  const out = new Float64Array(p.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = f(p[2 * i], p[2 * i + 1]);
  return out;
};
const solution: SolutionView = {
  inputs: ['x', 't'],
  outputs: ['u'],
  box: { lo: [0, 0], hi: [1, 1] },
  predict: onPoints((x, t) => (1 + eps) * exact(x, t)),
  reference: onPoints(exact),
};

describe('grids', () => {
  it('orders points with the first input fastest, other inputs at mid-range', () => {
    const g = plotGrid({ lo: [0, 10, 5], hi: [1, 20, 7] }, 3);
    expect(g.n).toBe(9);
    expect(Array.from(g.points.subarray(0, 9))).toEqual([0, 10, 6, 0.5, 10, 6, 1, 10, 6]);
    expect(Array.from(g.points.subarray(9 * 3 - 3))).toEqual([1, 20, 6]);
    const s = slicePoints({ lo: [0, 0], hi: [2, 1] }, 0, 1, 0.25, 3);
    expect(Array.from(s.points)).toEqual([0, 0.25, 1, 0.25, 2, 0.25]);
  });
});

describe('run report', () => {
  let dir: string;
  beforeAll(() => (dir = tempDir()));
  afterAll(() => removeDir(dir));

  it('scores the grid: relative L2 equals the known relative perturbation', () => {
    const ev = evaluateOnGrid(solution, 41);
    expect(ev.grid.n).toBe(41 * 41);
    expect(ev.errors.u.relL2).toBeCloseTo(eps, 12);
    expect(ev.errors.u.maxAbs).toBeCloseTo(eps, 6); // max |u| = 1 at (0.5, 0)
  });

  it('FTCS baseline: table and curves at the slice times, FTCS error as computed by hand', () => {
    const b = runBaselines(
      [
        {
          type: 'ftcs',
          dx: 0.1,
          r: 0.5,
          diffusivity: 1,
          initial: 'sin(pi*x)',
          boundary: [0, 0],
          space: 'x',
          time: 't',
        },
      ],
      solution,
      { axis: 't', at: [0.05, 0.5] },
    );
    expect(b.curves).toHaveLength(2);
    expect(b.table?.rows).toHaveLength(2);
    // FTCS at r = 1/2 multiplies sin(pi x_i) by (1 - 2r(1 - cos(pi dx)))^n = cos(pi dx)^n exactly.
    const n = 10;
    const expected = Math.abs(Math.cos(Math.PI * 0.1) ** n - Math.exp(-(Math.PI ** 2) * 0.05));
    expect(b.table!.rows[0][2] as number).toBeCloseTo(expected, 12);
    // network error on the same points: eps * max|exact| at t = 0.05
    expect(b.table!.rows[0][4] as number).toBeCloseTo(eps * Math.exp(-(Math.PI ** 2) * 0.05), 9);
    expect(() =>
      runBaselines(
        [
          {
            type: 'ftcs',
            dx: 0.1,
            r: 0.5,
            diffusivity: 1,
            initial: 'sin(pi*x)',
            boundary: [0, 0],
            space: 'x',
            time: 't',
          },
        ],
        solution,
      ),
    ).toThrow('baselines need report.slices');
  });

  it('writes report.html with loss curves, solution/reference/error maps, slices and the comparison', () => {
    const ev = evaluateOnGrid(solution, 21);
    const slices = { axis: 't', at: [0.05, 0.5] };
    const b = runBaselines(
      [
        {
          type: 'ftcs',
          dx: 0.1,
          r: 0.5,
          diffusivity: 1,
          initial: 'sin(pi*x)',
          boundary: [0, 0],
          space: 'x',
          time: 't',
        },
      ],
      solution,
      slices,
    );
    const rep = buildPdeReport({
      title: 'heat',
      description: 'test',
      solution,
      evaluation: ev,
      history: { loss: [1, 0.5, 0.25], terms: { pde: [0.5, 0.2, 0.1], ic: [0.5, 0.3, 0.15] } },
      metrics: { errors: ev.errors },
      slices,
      baselineCurves: b.curves,
      comparison: b.table,
      config: { a: 1 },
    });
    // loss + (network, reference, error) + 2 slices
    expect(rep.figureCount).toBe(6);
    const file = rep.write(dir, { plotly: 'reference' });
    const html = fs.readFileSync(file, 'utf8');
    expect(path.basename(file)).toBe('report.html');
    for (const s of [
      'loss per term',
      'network u',
      'reference u',
      'error u - reference',
      'u at t = 0.05',
      'FTCS dx=0.1',
      'errors.u.relL2',
    ])
      expect(html).toContain(s);
    expect(html).toContain('"type":"log"');
  });

  it('one-input problems get curves instead of heatmaps', () => {
    const ode: SolutionView = {
      inputs: ['t'],
      outputs: ['x', 'y'],
      box: { lo: [0], hi: [1] },
      predict: (p) => Float64Array.from({ length: p.length * 2 }, (_, k) => p[k >> 1]),
      reference: (p) => Float64Array.from({ length: p.length * 2 }, (_, k) => p[k >> 1]),
    };
    const ev = evaluateOnGrid(ode, 11);
    expect(ev.errors.x.relL2).toBe(0);
    const rep = buildPdeReport({
      title: 'ode',
      description: 'd',
      solution: ode,
      evaluation: ev,
      history: { loss: [1], terms: {} },
      metrics: {},
      config: {},
    });
    expect(rep.figureCount).toBe(1 + 2 * 2);
  });
});

describe('compactJson', () => {
  it('keeps short values on one line and round-trips', () => {
    const cfg = {
      problem: { domain: { x: [0, 1], t: [0, 1] }, network: { layers: [32, 32, 32] }, long: 'x'.repeat(120) },
      quick: undefined,
    };
    const text = compactJson(cfg);
    expect(text).toContain('"domain": {"x":[0,1],"t":[0,1]}');
    expect(JSON.parse(text)).toEqual({ problem: cfg.problem });
  });
});

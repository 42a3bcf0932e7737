import { Rng, rk45 } from '@aml/core';
import {
  dampedOscillator,
  gaussianRing,
  insideShape,
  linearWeights,
  ljCluster,
  ljEnergy,
  ljPair,
  lorenz,
  lorenzRhs,
  oscillatorExact,
  randomMolecule,
  seasonalSeries,
  shapeArea,
  shapeImages,
  swissRoll2D,
  tabularDataset,
  twoMoons,
  VALENCE,
} from '../index';

describe('ODE generators (RK4 from @aml/core)', () => {
  it('free damped oscillator matches the closed form to 1e-8', () => {
    const { t, x } = dampedOscillator({ omega0: 2, gamma: 0.3, x0: 1, v0: 0.5, t1: 10, steps: 2000 });
    let err = 0;
    t.forEach((ti, k) => (err = Math.max(err, Math.abs(x[k] - oscillatorExact(ti, 2, 0.3, 1, 0.5)))));
    expect(err).toBeLessThan(1e-8);
  });
  it('driven oscillator settles to the steady-state amplitude F / sqrt((w0^2 - w^2)^2 + (2 gamma w)^2)', () => {
    const { t, x } = dampedOscillator({
      omega0: 1,
      gamma: 0.5,
      driveAmplitude: 2,
      driveFrequency: 2,
      t1: 60,
      steps: 12_000,
    });
    const late = Array.from(x).filter((_, k) => t[k] > 60 - Math.PI); // last drive period
    expect(Math.max(...late.map(Math.abs))).toBeCloseTo(2 / Math.sqrt(9 + 4), 3);
  });
  it('observation noise has the asked std and is seeded', () => {
    const c = { gamma: 0.1, t1: 10, steps: 4000, noise: 0.05 };
    const clean = dampedOscillator({ ...c, noise: 0 });
    const a = dampedOscillator(c, new Rng(3));
    const r = Array.from(a.x, (v, k) => v - clean.x[k]);
    const sd = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length);
    expect(Math.abs(sd - 0.05)).toBeLessThan(((0.05 * 4) / Math.sqrt(2 * r.length)) * 2);
    expect(dampedOscillator(c, new Rng(3)).x).toEqual(a.x);
    expect(() => dampedOscillator(c)).toThrow('noise > 0 needs an rng');
  });
  it('Lorenz: agrees with adaptive RK45 at t = 1, rests at its fixed point, and is chaotic', () => {
    const a = lorenz({ t1: 1, steps: 1000 });
    const ref = rk45(lorenzRhs(), [1, 1, 1], 0, 1, { rtol: 1e-11, atol: 1e-11 });
    const end = ref.y[ref.y.length - 1];
    for (let j = 0; j < 3; j++) expect(Math.abs(a.states[3 * 1000 + j] - end[j])).toBeLessThan(1e-7);
    const c = Math.sqrt((8 / 3) * 27);
    const fp = lorenz({ y0: [c, c, 27], t1: 1, steps: 100 });
    expect(Math.abs(fp.states[300] - c)).toBeLessThan(1e-12);
    const p = lorenz({ t1: 40, steps: 40_000 });
    const q = lorenz({ y0: [1 + 1e-8, 1, 1], t1: 40, steps: 40_000 });
    // a 1e-8 perturbation grows to order-one differences by t = 35 (measured: 2e-7 at t = 15, 0.16 at 30, 8 at 35)
    let late = 0;
    for (let k = 35_000; k <= 40_000; k++) late = Math.max(late, Math.abs(p.states[3 * k] - q.states[3 * k]));
    expect(Math.abs(p.states[3000] - q.states[3000])).toBeLessThan(1e-6);
    expect(late).toBeGreaterThan(1);
    expect(Math.max(...Array.from(p.states, Math.abs))).toBeLessThan(60); // stays on the bounded attractor
  });
});

describe('2D toy distributions', () => {
  it('8-Gaussian ring: mean 0, E|x|^2 = r^2 + 2 s^2, balanced components', () => {
    const n = 8000;
    const { x, labels } = gaussianRing(n, new Rng(1), { radius: 2, std: 0.1 });
    let mx = 0;
    let my = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      mx += x[2 * i];
      my += x[2 * i + 1];
      m2 += x[2 * i] ** 2 + x[2 * i + 1] ** 2;
    }
    expect(Math.abs(mx / n)).toBeLessThan((4 * Math.SQRT2) / Math.sqrt(n)); // std of x is about sqrt(2)
    expect(Math.abs(my / n)).toBeLessThan((4 * Math.SQRT2) / Math.sqrt(n));
    expect(m2 / n).toBeCloseTo(4 + 2 * 0.01, 2);
    const counts = new Array(8).fill(0);
    labels.forEach((l) => counts[l]++);
    for (const c of counts) expect(Math.abs(c - n / 8)).toBeLessThan(4 * Math.sqrt(n / 8));
  });
  it('noise-free moons lie on their half circles; classes alternate', () => {
    const { x, labels } = twoMoons(200, new Rng(2), { noise: 0 });
    for (let i = 0; i < 200; i++) {
      const [a, b] = labels[i] === 0 ? [x[2 * i], x[2 * i + 1]] : [1 - x[2 * i], 0.5 - x[2 * i + 1]];
      expect(Math.hypot(a, b)).toBeCloseTo(1, 12);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(labels[i]).toBe(i % 2);
    }
  });
  it('noise-free Swiss roll has radius t, t in [1.5 pi, 4.5 pi]', () => {
    const { x, t } = swissRoll2D(100, new Rng(3), { noise: 0 });
    for (let i = 0; i < 100; i++) {
      expect(Math.hypot(x[2 * i], x[2 * i + 1])).toBeCloseTo(t[i], 12);
      expect(t[i]).toBeGreaterThanOrEqual(1.5 * Math.PI);
      expect(t[i]).toBeLessThan(4.5 * Math.PI);
    }
  });
});

describe('shape images', () => {
  it('filled pixel counts match the exact areas (mean error < 3 %), classes balanced, seeded', () => {
    const size = 32;
    const s = shapeImages(90, new Rng(4), { size, radius: [0.2, 0.4] });
    const errs: number[] = [];
    for (let i = 0; i < 90; i++) {
      const count = s.images.subarray(i * size * size, (i + 1) * size * size).reduce((a, b) => a + b, 0);
      const area = shapeArea(s.classes[s.labels[i]], s.params[4 * i + 2]);
      errs.push(Math.abs(count - area) / area);
    }
    expect(errs.reduce((a, b) => a + b, 0) / errs.length).toBeLessThan(0.03);
    expect(Math.max(...errs)).toBeLessThan(0.12);
    expect([0, 1, 2].map((c) => s.labels.filter((l) => l === c).length)).toEqual([30, 30, 30]);
    expect(shapeImages(90, new Rng(4), { size, radius: [0.2, 0.4] }).images).toEqual(s.images);
  });
  it('polygon membership: unit square (circumradius sqrt 2) covers (+-0.99, +-0.99) but not (1.01, 0)', () => {
    for (const [px, py] of [
      [0.99, 0.99],
      [-0.99, 0.99],
      [0.99, -0.99],
      [-0.99, -0.99],
    ])
      expect(insideShape('square', px, py, 0, 0, Math.SQRT2, -Math.PI / 4)).toBe(true);
    expect(insideShape('square', 1.01, 0, 0, 0, Math.SQRT2, -Math.PI / 4)).toBe(false);
    expect(shapeArea('square', Math.SQRT2)).toBeCloseTo(4, 12);
    expect(shapeArea('triangle', 1)).toBeCloseTo((3 * Math.sqrt(3)) / 4, 12);
  });
});

describe('small graphs', () => {
  it('LJ pair minimum is -eps at r = 2^(1/6) sigma, with zero slope (finite difference)', () => {
    const r0 = 2 ** (1 / 6);
    expect(ljPair(r0)).toBeCloseTo(-1, 12);
    expect((ljPair(r0 + 1e-6) - ljPair(r0 - 1e-6)) / 2e-6).toBeCloseTo(0, 6);
  });
  it('LJ cluster: minimum distance kept, symmetric edges exactly the close pairs, energy = sum of pairs', () => {
    const c = ljCluster(10, new Rng(5), { cutoff: 1.6 });
    const n = 10;
    const d = (i: number, j: number) =>
      Math.hypot(...[0, 1, 2].map((k) => c.positions[3 * i + k] - c.positions[3 * j + k]));
    const edges = new Set<string>();
    for (let e = 0; e < c.edges.length; e += 2) edges.add(`${c.edges[e]},${c.edges[e + 1]}`);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        expect(d(i, j)).toBeGreaterThanOrEqual(0.9);
        expect(edges.has(`${i},${j}`)).toBe(d(i, j) < 1.6);
      }
    expect(c.energy).toBe(ljEnergy(c.positions));
    expect(ljEnergy(Float64Array.from([0, 0, 0, 2 ** (1 / 6), 0, 0]))).toBeCloseTo(-1, 12);
  });
  it('random molecules are connected and respect valences', () => {
    const rng = new Rng(6);
    for (let m = 0; m < 50; m++) {
      const g = randomMolecule(rng, { minAtoms: 3, maxAtoms: 12, rings: 2 });
      const n = g.atoms.length;
      const deg = new Array(n).fill(0);
      const adj: number[][] = Array.from({ length: n }, () => []);
      for (let b = 0; b < g.bonds.length; b += 2) {
        const [i, j] = [g.bonds[b], g.bonds[b + 1]];
        deg[i]++;
        deg[j]++;
        adj[i].push(j);
        adj[j].push(i);
      }
      g.atoms.forEach((a, i) => expect(deg[i] + g.hydrogens[i]).toBe(VALENCE[a]));
      g.hydrogens.forEach((h) => expect(h).toBeGreaterThanOrEqual(0));
      const seen = new Set([0]);
      const stack = [0];
      while (stack.length)
        for (const j of adj[stack.pop()!])
          if (!seen.has(j)) {
            seen.add(j);
            stack.push(j);
          }
      expect(seen.size).toBe(n);
    }
  });
});

/** Least squares [w; b] for y ~ X w + b by the normal equations (the oracle for the linear rule). */
function leastSquares(cols: Float64Array[], y: Float64Array): number[] {
  const d = cols.length + 1;
  const A = Array.from({ length: d }, () => new Array(d + 1).fill(0));
  const f = (j: number, i: number) => (j < cols.length ? cols[j][i] : 1);
  for (let i = 0; i < y.length; i++)
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) A[a][b] += f(a, i) * f(b, i);
      A[a][d] += f(a, i) * y[i];
    }
  for (let c = 0; c < d; c++)
    for (let r = c + 1; r < d; r++) {
      const m = A[r][c] / A[c][c];
      for (let k = c; k <= d; k++) A[r][k] -= m * A[c][k];
    }
  const x = new Array(d).fill(0);
  for (let r = d - 1; r >= 0; r--)
    x[r] = (A[r][d] - A[r].slice(r + 1, d).reduce((s, v, k) => s + v * x[r + 1 + k], 0)) / A[r][r];
  return x;
}

describe('tabular datasets with a known rule', () => {
  it('linear regression: least squares recovers the true weights and bias', () => {
    const ds = tabularDataset('linear-regression', 3000, new Rng(7), { features: 5, noise: 0.1 });
    const cols = ds.table.columns.slice(0, 5).map((c) => c.values as Float64Array);
    const wb = leastSquares(cols, ds.table.columns[5].values as Float64Array);
    const truth = [...linearWeights(5), 0.5];
    wb.forEach((v, j) => expect(Math.abs(v - truth[j])).toBeLessThan(0.01));
  });
  it('nonlinear classification is balanced and follows its rule without noise', () => {
    const ds = tabularDataset('nonlinear-classification', 4000, new Rng(8), { noise: 0 });
    const [x1, x2] = ds.table.columns.map((c) => c.values as Float64Array);
    const y = ds.table.columns[4].values as string[];
    const a = y.filter((v) => v === 'A').length / 4000;
    expect(Math.abs(a - 0.5)).toBeLessThan((4 * 0.5) / Math.sqrt(4000));
    y.forEach((v, i) => expect(v).toBe(x1[i] ** 2 + x2[i] ** 2 < 2 * Math.LN2 ? 'A' : 'B'));
  });
  it('missing share and the group column come out as asked; seeded', () => {
    const ds = tabularDataset('linear-classification', 2000, new Rng(9), { missing: 0.1, categorical: true });
    expect(ds.table.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'x3', 'x4', 'group', 'y']);
    const miss =
      ds.table.columns.slice(0, 4).reduce((s, c) => s + (c.values as Float64Array).filter(Number.isNaN).length, 0) /
      8000;
    expect(Math.abs(miss - 0.1)).toBeLessThan(0.015);
    expect(
      tabularDataset('linear-classification', 2000, new Rng(9), { missing: 0.1, categorical: true }).table,
    ).toEqual(ds.table);
    expect(() => tabularDataset('quadratic' as never, 10, new Rng(1))).toThrow("unknown rule 'quadratic'");
  });
  it('seasonal series without noise follows its formula at hourly stamps', () => {
    const t = seasonalSeries(50, new Rng(1), { noise: 0, trend: 0.01 });
    const [time, value] = t.columns.map((c) => c.values as Float64Array);
    expect(time[1] - time[0]).toBe(3_600_000);
    expect(new Date(time[0]).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    for (let k = 0; k < 50; k++)
      expect(value[k]).toBeCloseTo(
        Math.sin((2 * Math.PI * k) / 24) + 0.5 * Math.sin((6 * Math.PI * k) / 24) + 0.01 * k,
        12,
      );
  });
});

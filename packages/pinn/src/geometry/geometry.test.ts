import { Rng } from '@aml/core';
import { SAMPLER_NAMES } from '../sampling/samplers';
import {
  box,
  difference,
  disk,
  interval,
  intersection,
  polygon,
  rectangle,
  timeDomain,
  union,
  type Geometry,
} from './index';

const square = rectangle([0, 0], [1, 1]);
const geometries: [string, Geometry][] = [
  ['interval', interval(-1, 2)],
  ['rectangle', rectangle([-1, 0], [1, 2])],
  ['3-d box', box([0, 0, 0], [1, 2, 3])],
  ['disk', disk([0.5, -0.5], 2)],
  [
    'triangle',
    polygon([
      [0, 0],
      [2, 0],
      [0, 1],
    ]),
  ],
  [
    'L-shape (clockwise)',
    polygon([
      [0, 0],
      [0, 2],
      [1, 2],
      [1, 1],
      [2, 1],
      [2, 0],
    ]),
  ],
  ['square minus disk', difference(square, disk([0.5, 0.5], 0.25))],
  ['square union disk', union(square, disk([1, 1], 0.5))],
  ['square intersect disk', intersection(square, disk([0, 0], 1))],
  ['interval x time', timeDomain(interval(0, 1), 0, 0.5)],
  ['disk x time', timeDomain(disk([0, 0], 1), 0, 1)],
];

describe.each(geometries)('%s', (_name, g) => {
  it.each(SAMPLER_NAMES)('interior samples (%s) lie inside, boundary samples on the boundary', (sampler) => {
    const rng = new Rng(1);
    const inner = g.sampleInterior(200, rng, sampler);
    const n = inner.length / g.dim;
    expect(n).toBeGreaterThan(100);
    for (let k = 0; k < n; k++) expect(g.inside(inner.subarray(k * g.dim, (k + 1) * g.dim))).toBe(true);
    const bd = g.sampleBoundary(50, rng, sampler);
    // A grid rounds the count to whole grid lines per face.
    if (sampler === 'grid') expect(Math.abs(bd.length / g.dim - 50)).toBeLessThan(30);
    else expect(bd.length).toBe(50 * g.dim);
    for (let k = 0; k < bd.length / g.dim; k++) {
      const p = bd.subarray(k * g.dim, (k + 1) * g.dim);
      expect(g.onBoundary(p)).toBe(true);
      const nrm = g.normal(p);
      expect(Math.hypot(...nrm)).toBeCloseTo(1, 10);
    }
  });
  it('outward normals point out: p + eps n is outside, p - eps n inside (smooth boundary points)', () => {
    const rng = new Rng(2);
    const bd = g.sampleBoundary(100, rng);
    const eps = 1e-4;
    let checked = 0;
    for (let k = 0; k < 100; k++) {
      const p = Array.from(bd.subarray(k * g.dim, (k + 1) * g.dim));
      const nrm = g.normal(p);
      const out = p.map((v, i) => v + eps * nrm[i]);
      const inn = p.map((v, i) => v - eps * nrm[i]);
      // Points within eps of a corner are skipped (the normal is not defined there).
      if (!g.inside(inn) && g.onBoundary(inn, 2 * eps)) continue;
      expect(g.inside(out)).toBe(false);
      expect(g.inside(inn)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(80);
  });
  it('is reproducible for a seed', () => {
    expect(g.sampleInterior(20, new Rng(5), 'lhs')).toEqual(g.sampleInterior(20, new Rng(5), 'lhs'));
  });
});

describe('geometry details', () => {
  it('interval boundaries are named after the end points and normals are -1, +1', () => {
    const g = interval(-1, 1);
    expect(Object.keys(g.boundaries)).toEqual(['x=-1', 'x=1']);
    expect(g.boundaries['x=-1']([-1])).toBe(true);
    expect(g.boundaries['x=-1']([1])).toBe(false);
    expect(g.normal([-1])).toEqual([-1]);
    expect(g.normal([1])).toEqual([1]);
    const b = g.sampleBoundary(4, new Rng(0));
    expect(Array.from(b).sort()).toEqual([-1, -1, 1, 1]);
  });
  it('disk interior sampling is uniform in area: a quarter of the points within r/2', () => {
    const g = disk([0, 0], 1);
    const p = g.sampleInterior(4000, new Rng(3), 'uniform');
    let c = 0;
    for (let k = 0; k < 4000; k++) if (Math.hypot(p[2 * k], p[2 * k + 1]) < 0.5) c++;
    expect(c / 4000).toBeGreaterThan(0.22);
    expect(c / 4000).toBeLessThan(0.28);
  });
  it('a difference keeps the hole boundary with inward-facing normals', () => {
    const g = difference(square, disk([0.5, 0.5], 0.25));
    expect(g.inside([0.5, 0.5])).toBe(false);
    expect(g.onBoundary([0.75, 0.5])).toBe(true);
    const n = g.normal([0.75, 0.5]);
    expect(n[0]).toBeCloseTo(-1, 12);
  });
  it('space-time: initial slice, named boundaries and the time normal component 0', () => {
    const g = timeDomain(interval(0, 1), 0, 2);
    expect(g.names).toEqual(['x', 't']);
    const ini = g.sampleInitial(10, new Rng(0));
    for (let k = 0; k < 10; k++) expect(ini[2 * k + 1]).toBe(0);
    expect(g.boundaries['x=0']([0, 1])).toBe(true);
    expect(g.boundaries.initial([0.3, 0])).toBe(true);
    expect(g.normal([1, 0.5])).toEqual([1, 0]);
  });
  it('empty domains and bad shapes fail with a message naming the coordinate', () => {
    expect(() => interval(1, 1)).toThrow('box: x in [1, 1] is empty; the upper bound must exceed the lower bound');
    expect(() => rectangle([0, 2], [1, 2])).toThrow('y in [2, 2] is empty');
    expect(() => box([0, 0], [1])).toThrow('expected 2 bounds (x, y)');
    expect(() => disk([0, 0], -1)).toThrow('disk: radius must be a positive number, got -1');
    expect(() => timeDomain(interval(0, 1), 1, 1)).toThrow('t in [1, 1] is empty');
    expect(() => union(interval(0, 1), square)).toThrow('same dimension');
    expect(() =>
      polygon([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toThrow('zero area');
  });
});

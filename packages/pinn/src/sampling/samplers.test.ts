import { Rng } from '@aml/core';
import { closedGrid, radicalInverse, sampleUnitCube, SAMPLER_NAMES } from './samplers';

describe('unit-cube samplers', () => {
  it.each(SAMPLER_NAMES)('%s: points in [0,1)^3, same seed same points', (s) => {
    const a = sampleUnitCube(s, 125, 3, new Rng(1));
    expect(a).toEqual(sampleUnitCube(s, 125, 3, new Rng(1)));
    for (const v of a) expect(v >= 0 && v < 1).toBe(true);
  });
  it('lhs puts exactly one point in each of the n strata of every axis', () => {
    const n = 50;
    const a = sampleUnitCube('lhs', n, 2, new Rng(7));
    for (let j = 0; j < 2; j++) {
      const strata = new Set<number>();
      for (let i = 0; i < n; i++) strata.add(Math.floor(a[i * 2 + j] * n));
      expect(strata.size).toBe(n);
    }
  });
  it('halton: radical inverse in base 2 and 3, and a lower integration error than uniform', () => {
    expect(radicalInverse(1, 2)).toBe(0.5);
    expect(radicalInverse(3, 2)).toBe(0.75);
    expect(radicalInverse(5, 3)).toBeCloseTo(7 / 9, 14);
    // integral of x*y over the unit square = 1/4
    const err = (s: 'halton' | 'uniform') => {
      const p = sampleUnitCube(s, 4096, 2, new Rng(3));
      let sum = 0;
      for (let i = 0; i < 4096; i++) sum += p[2 * i] * p[2 * i + 1];
      return Math.abs(sum / 4096 - 0.25);
    };
    expect(err('halton')).toBeLessThan(1e-3);
    expect(err('halton')).toBeLessThan(err('uniform'));
  });
  it('grid: m^d cell centres; closedGrid includes the end points', () => {
    const g = sampleUnitCube('grid', 16, 2, new Rng(0));
    expect(g.length).toBe(32);
    expect(Array.from(g.subarray(0, 4))).toEqual([0.125, 0.125, 0.125, 0.375]);
    const c = closedGrid([3, 2]);
    expect(Array.from(c)).toEqual([0, 0, 0, 1, 0.5, 0, 0.5, 1, 1, 0, 1, 1]);
    expect(() => closedGrid([1])).toThrow('grid resolution must be an integer >= 2 per axis, got 1');
    expect(() => sampleUnitCube('lhs', -5, 2, new Rng(0))).toThrow(
      'number of points must be a positive integer, got -5',
    );
  });
});

import { Rng } from '@aml/core';
import { radProbabilities, sampleWithoutReplacement } from './rad';

describe('RAD sampling', () => {
  it('|r| = [0, 1, 3]: k = 1, c = 1 gives [1/6, 7/24, 13/24]; k = 2, c = 0 gives [0, 0.1, 0.9]', () => {
    const p = radProbabilities([0, 1, 3], 1, 1);
    expect(Array.from(p, (v) => +v.toFixed(6))).toEqual([0.166667, 0.291667, 0.541667]);
    expect(p[1]).toBeCloseTo(7 / 24, 15);
    const q = radProbabilities([0, -1, 3], 2, 0);
    expect(q[0]).toBe(0);
    expect(q[1]).toBeCloseTo(0.1, 15);
    expect(q[2]).toBeCloseTo(0.9, 15);
    expect(Array.from(radProbabilities([0, 0], 1, 0))).toEqual([0.5, 0.5]);
    expect(() => radProbabilities([1], -1, 1)).toThrow('RAD: k and c must be >= 0, got k = -1, c = 1');
  });

  it('draws distinct indices, seeded; single-draw frequencies follow p within 2%', () => {
    const p = radProbabilities([0, 1, 3], 1, 1);
    const a = sampleWithoutReplacement(p, 2, new Rng(5));
    expect(new Set(a).size).toBe(2);
    expect(sampleWithoutReplacement(p, 2, new Rng(5))).toEqual(a);
    const counts = [0, 0, 0];
    const rng = new Rng(9);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleWithoutReplacement(p, 1, rng)[0]]++;
    // binomial standard deviation at n = 20000 is below 0.0036: 0.02 is more than 5 sigma
    counts.forEach((c, i) => expect(Math.abs(c / n - p[i])).toBeLessThan(0.02));
    expect(sampleWithoutReplacement([0, 0.5, 0.5], 3, new Rng(1))[2]).toBe(0); // p = 0 only when nothing else is left
    expect(() => sampleWithoutReplacement(p, 4, new Rng(1))).toThrow('cannot draw 4 distinct points from 3 candidates');
  });
});

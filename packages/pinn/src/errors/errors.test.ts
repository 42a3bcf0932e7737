import { compareValues, compareWithFunction, referenceFromColumns } from './errors';
import { boxGrid } from '../evaluation/grid';

describe('errors against a reference', () => {
  it('relative L2, max and RMSE of known differences', () => {
    const e = compareValues([1, 2, 2], [1, 2, 3]);
    expect(e.relativeL2).toBeCloseTo(1 / Math.sqrt(14), 14);
    expect(e.maxAbs).toBe(1);
    expect(e.rmse).toBeCloseTo(Math.sqrt(1 / 3), 14);
    expect(() => compareValues([1], [1, 2])).toThrow('1 predicted values but 2 reference values');
  });
  it('a function reference on a grid: exact prediction gives zero, a 1% bias gives 1e-2', () => {
    const g = boxGrid([0, 0], [1, 1], [11, 6]);
    expect(g.length).toBe(11 * 6 * 2);
    expect(Array.from(g.subarray(0, 4))).toEqual([0, 0, 0, 0.2]);
    const f = (p: number[]) => Math.sin(p[0]) + p[1];
    const same = compareWithFunction(
      g,
      2,
      (pts) => Float64Array.from({ length: pts.length / 2 }, (_, k) => f([pts[2 * k], pts[2 * k + 1]])),
      f,
    );
    expect(same.relativeL2).toBe(0);
    const biased = compareWithFunction(
      g,
      2,
      (pts) => Float64Array.from({ length: pts.length / 2 }, (_, k) => 1.01 * f([pts[2 * k], pts[2 * k + 1]])),
      f,
    );
    expect(biased.relativeL2).toBeCloseTo(0.01, 12);
  });
  it('named columns (grid files are read by reference-grid/)', () => {
    expect(() => referenceFromColumns({ x: [0], u: [1] }, ['x', 't'], 'u')).toThrow(
      'missing column(s) t; the file has x, u',
    );
  });
});

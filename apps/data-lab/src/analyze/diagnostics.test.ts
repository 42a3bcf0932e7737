import { Rng } from '@aml/core';
import type { Matrix } from '@aml/data';
import type { TabularModel } from '../models/model';
import { calibrationCurve, diagnose } from './diagnostics';
import { integerTicks, sparseLogTicks } from './report-selection';
import { lineFigure } from '@aml/plot';

/** A fixed model y = 2 x0 (ignores x1): the oracle for permutation importance. */
const fixed: TabularModel = {
  name: 'fixed',
  fit: async () => ({ train: [], val: [] }),
  predict: (X: Matrix) => Float64Array.from({ length: X.rows }, (_, i) => 2 * X.data[i * X.cols]),
  save: () => ({ name: 'fixed' }),
  dispose: () => undefined,
};

describe('permutation importance', () => {
  it('an unused column has importance exactly 0; the used one loses about 2 of R^2 (oracle: shuffled x0 gives R^2 = -1 in expectation)', () => {
    const rng = new Rng(1);
    const X: Matrix = { rows: 2000, cols: 2, data: Float64Array.from({ length: 4000 }, () => rng.normal()) };
    const y = Float64Array.from({ length: 2000 }, (_, i) => 2 * X.data[2 * i]);
    const enc = { kind: 'standard' as const, mean: 0, std: 1 };
    const d = diagnose(fixed, X, y, 'regression', enc, 0, 3, new Rng(2));
    expect(d.importance).toHaveLength(2);
    for (const v of d.importance[1]) expect(v).toBe(0);
    // R^2 after shuffling = 1 - E[(x - x')^2] / var(x) = 1 - 2 = -1, so the fall is 2 (sampling error ~ 0.1)
    for (const v of d.importance[0]) expect(Math.abs(v - 2)).toBeLessThan(0.2);
    expect(X.data[0]).toBe(new Rng(1).normal()); // the input is left as it was
  });
});

describe('calibration curve', () => {
  it('bins by confidence and reports mean confidence and share correct (hand computed)', () => {
    const c = calibrationCurve([0.55, 0.58, 0.92, 0.97, 0.99], [true, false, true, true, false], 10);
    expect(c.count).toEqual([2, 3]);
    expect(c.confidence[0]).toBeCloseTo(0.565, 12);
    expect(c.accuracy).toEqual([0.5, 2 / 3]);
    expect(c.confidence[1]).toBeCloseTo((0.92 + 0.97 + 0.99) / 3, 12);
  });
  it('fold axes get integer ticks', () => {
    const f = integerTicks(lineFigure([{ name: 'a', x: [1, 2, 3], y: [1, 2, 3] }], { xLabel: 'fold' }));
    expect(f.layout.xaxis).toMatchObject({ tickmode: 'linear', dtick: 1, title: { text: 'fold' } });
    const g = sparseLogTicks(lineFigure([{ name: 'loss', y: [1, 0.5, 0.2] }], { yScale: 'log' }));
    expect(g.layout.yaxis).toMatchObject({ type: 'log', dtick: 'D2' });
  });
});

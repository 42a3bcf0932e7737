import { Rng } from '@aml/core';
import { pcaSummary } from './pca';

describe('explore PCA summary', () => {
  it('on an anisotropic Gaussian: ratios 9 : 1 : 0.01, and rank-2 error = dropped variance (n-1)/n / d', () => {
    const rng = new Rng(1);
    const n = 20000;
    const c = Math.SQRT1_2;
    const data = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const a = 3 * rng.normal();
      const b = rng.normal();
      data.set([c * (a - b) + 5, c * (a + b) - 2, 0.1 * rng.normal()], 3 * i);
    }
    const s = pcaSummary({ data, rows: n, cols: 3 });
    const total = 9 + 1 + 0.01;
    expect(s.explained[0]).toBeCloseTo(9 / total, 2);
    expect(s.explained[1]).toBeCloseTo(1 / total, 2);
    // the third axis is dropped: per-entry error = its variance / 3 (population variance of the residual)
    expect(s.reconstructionError).toBeCloseTo(0.01 / 3, 3);
    expect(s.embedding.rows).toBe(n);
    // the embedding's first coordinate has the largest variance (about 9)
    let v0 = 0;
    for (let i = 0; i < n; i++) v0 += s.embedding.data[2 * i] ** 2 / n;
    expect(v0).toBeCloseTo(9, 0);
  });
});

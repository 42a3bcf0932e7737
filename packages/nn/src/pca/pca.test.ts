import { Rng } from '@aml/core';
import { symmetricEigen, principalAngles } from './linalg';
import { pca, componentsForVariance } from './pca';

describe('symmetric eigen-decomposition (Jacobi)', () => {
  it('solves a 2x2 in closed form and satisfies A v = lambda v on a random 6x6', () => {
    const e = symmetricEigen([2, 1, 1, 2], 2);
    expect(e.values[0]).toBeCloseTo(3, 12);
    expect(e.values[1]).toBeCloseTo(1, 12);
    const rng = new Rng(1);
    const d = 6;
    const B = Array.from({ length: d * d }, () => rng.normal());
    const A = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) A[i * d + j] = B[i * d + j] + B[j * d + i];
    const { values, vectors } = symmetricEigen(A, d);
    for (let r = 0; r < d; r++)
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += A[i * d + j] * vectors[r * d + j];
        expect(av).toBeCloseTo(values[r] * vectors[r * d + i], 9);
      }
  });

  it('principal angles of known planes', () => {
    const a = principalAngles([1, 0, 0, 0, 1, 0], [1, 1, 0, 0, 0, 1], 2, 3);
    // span{e1,e2} vs span{(e1+e2)/sqrt2, e3}: angles 0 and pi/2
    expect(a[0]).toBeCloseTo(0, 6);
    expect(a[1]).toBeCloseTo(Math.PI / 2, 6);
  });
});

describe('pca', () => {
  // anisotropic Gaussian with std 3, 1, 0.1 along a rotated frame in 3D
  const rng = new Rng(2);
  const n = 4000,
    d = 3;
  const c = Math.cos(0.5),
    s = Math.sin(0.5);
  const R = [
    [c, -s, 0],
    [s, c, 0],
    [0, 0, 1],
  ];
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = [3 * rng.normal(), rng.normal(), 0.1 * rng.normal()];
    for (let a = 0; a < d; a++) X[i * d + a] = 5 + R[a].reduce((t, r, b) => t + r * z[b], 0);
  }
  const p = pca(X, n, d, 2);

  it('recovers the variances and directions of a known Gaussian', () => {
    expect(p.explainedVariance[0]).toBeCloseTo(9, 0);
    expect(Math.abs(p.explainedVariance[0] - 9) / 9).toBeLessThan(0.05);
    expect(Math.abs(p.explainedVariance[1] - 1)).toBeLessThan(0.1); // sample-variance std is sqrt(2/n) = 0.022: 4.5 sigma
    expect(Math.abs(Math.abs(p.components[0] * c + p.components[1] * s) - 1)).toBeLessThan(1e-3);
    expect(p.mean[2]).toBeCloseTo(5, 1);
    const ratioSum = p.explainedVarianceRatio.reduce((a, b) => a + b);
    expect(ratioSum).toBeCloseTo(1, 12);
  });

  it('chooses components for a variance target and reconstructs', () => {
    expect(componentsForVariance(p, 0.85)).toBe(1); // 9/10.01
    expect(componentsForVariance(p, 0.95)).toBe(2);
    expect(componentsForVariance(p, 1)).toBe(3);
    const full = pca(X, n, d);
    const back = full.inverseTransform(full.transform(X.subarray(0, 30)));
    back.forEach((v, i) => expect(v).toBeCloseTo(X[i], 9));
    // 2-component reconstruction error = discarded variance (0.01) per row on average
    const rec = p.inverseTransform(p.transform(X));
    const err = rec.reduce((t, v, i) => t + (v - X[i]) ** 2, 0) / (n - 1);
    expect(err).toBeCloseTo(p.explainedVariance[2], 9);
    expect(() => pca(X, n, d, 4)).toThrow('pca: components must be an integer in 1..3, got 4');
  });
});

import { Rng } from '@aml/core';
import { fitPca, pcaReconstructionError, pcaTransform, symmetricEigen } from './pca';

describe('PCA', () => {
  it('Jacobi eigen-decomposition of a 3x3 symmetric matrix (oracle: A v = lambda v, known eigenvalues)', () => {
    // eigenvalues of [[2,1,0],[1,2,0],[0,0,5]] are 5, 3, 1
    const A = Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]);
    const { values, vectors } = symmetricEigen(A, 3);
    [5, 3, 1].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 12));
    for (let j = 0; j < 3; j++) {
      for (let r = 0; r < 3; r++) {
        const av = A[3 * r] * vectors[j] + A[3 * r + 1] * vectors[3 + j] + A[3 * r + 2] * vectors[6 + j];
        expect(av).toBeCloseTo(values[j] * vectors[3 * r + j], 12);
      }
    }
  });
  it('recovers the axes and variances of an anisotropic Gaussian; reconstruction error = dropped variance / d', () => {
    const rng = new Rng(1);
    const n = 20000;
    const c = Math.SQRT1_2;
    const data = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const a = 3 * rng.normal();
      const b = 1 * rng.normal();
      const e = 0.1 * rng.normal();
      data.set([c * (a - b) + 5, c * (a + b) - 2, e], 3 * i); // axes (1,1,0)/sqrt2 var 9, (-1,1,0)/sqrt2 var 1, z var 0.01
    }
    const p = fitPca({ data, rows: n, cols: 3 });
    expect(p.variance[0]).toBeCloseTo(9, 0);
    expect(p.variance[1]).toBeCloseTo(1, 1);
    expect(p.variance[2]).toBeCloseTo(0.01, 2);
    expect(Math.abs(p.components[0] * c + p.components[3] * c)).toBeCloseTo(1, 2); // first axis along (1,1,0)/sqrt2
    expect(p.mean[0]).toBeCloseTo(5, 1);
    expect(pcaReconstructionError(p, 2)).toBeCloseTo(p.variance[2] / 3, 12);
    const z = pcaTransform(p, { data, rows: n, cols: 3 }, 2);
    let v0 = 0;
    for (let i = 0; i < n; i++) v0 += z.data[2 * i] ** 2 / n;
    expect(v0).toBeCloseTo(p.variance[0], 8); // the projection's variance is the eigenvalue
  });
});

import { initBackend, Rng, tf } from '@aml/core';
import { createNetwork } from './create';
import { fitOutputLayer, leastSquares, type PirateNetwork } from './pi-init';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('PirateNet least-squares initialisation', () => {
  it('recovers W* from Y = Phi W* (Phi 500 x 64 random, 2 outputs) within 1e-8 relative', () => {
    const rng = new Rng(7);
    const [n, m, k] = [500, 64, 2];
    const phi = Float64Array.from(rng.normalArray(n * m));
    const w = Float64Array.from(rng.normalArray(m * k));
    const y = new Float64Array(n * k);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < k; c++) for (let i = 0; i < m; i++) y[r * k + c] += phi[r * m + i] * w[i * k + c];
    const got = leastSquares(phi, n, m, y, k);
    const err = Math.sqrt(got.reduce((s, v, i) => s + (v - w[i]) ** 2, 0) / w.reduce((s, v) => s + v * v, 0));
    expect(err).toBeLessThan(1e-8);
  });

  it.each([[undefined], [{ mu: 1, sigma: 0.1 }]])(
    'fits u0 = x^2 cos(pi x) on an (x, t) grid with alpha = 0 (factorized: %j); apply() then gives the fit',
    (factorized) => {
      const net = createNetwork(
        { kind: 'pirate', hidden: [16, 16], fourier: { sigma: 2, features: 64 }, factorized },
        { inputs: 2, outputs: 1, inputNames: ['x', 't'] },
        new Rng(3),
      ) as PirateNetwork;
      const pts: number[][] = [];
      for (let ti = 0; ti <= 10; ti++) for (let xi = 0; xi < 64; xi++) pts.push([-1 + (2 * xi) / 63, ti / 10]);
      const u0 = pts.map(([x]) => [x * x * Math.cos(Math.PI * x)]);
      const x = tf.tensor2d(pts);
      const y = tf.tensor2d(u0);
      const residual = fitOutputLayer(net, x, y);
      expect(residual).toBeLessThan(2e-2);
      const u = tf.tidy(() => Array.from(net.apply(x).dataSync()));
      const rel = Math.sqrt(u.reduce((s, v, i) => s + (v - u0[i][0]) ** 2, 0) / u0.reduce((s, [v]) => s + v * v, 0));
      expect(Math.abs(rel - residual)).toBeLessThan(1e-4); // float32 forward of the float64 fit
      const bad = tf.zeros([3, 1]) as tf.Tensor2D;
      expect(() => fitOutputLayer(net, x, bad)).toThrow('fitOutputLayer: y must be (704, 1) for x (704, 2), got [3,1]');
      tf.dispose([x, y, bad]);
      net.dispose();
    },
  );
});

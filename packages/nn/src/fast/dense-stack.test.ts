import { tf, Rng, initBackend, expectNoLeak, adam } from '@aml/core';
import { mlp } from '../layers/sequential';
import { getWeights, type Layer } from '../layers/layer';
import type { LayerActivation } from '../layers/activation';
import { mse } from '../losses/losses';
import { gradCheck } from '../testing/gradcheck';
import { denseStack, denseStackSupported } from './dense-stack';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** max |a - b| / (max |b| + floor): the error relative to the tensor's scale. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  let num = 0;
  let den = floor;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

const CASES: Array<[string, { sizes: number[]; activation: LayerActivation; outputActivation?: LayerActivation }]> = [
  ['relu, identity out', { sizes: [7, 16, 12, 3], activation: 'relu' }],
  ['tanh, sigmoid out', { sizes: [5, 9, 4], activation: 'tanh', outputActivation: 'sigmoid' }],
  ['leakyRelu, tanh out', { sizes: [6, 8, 8, 8, 2], activation: 'leakyRelu', outputActivation: 'tanh' }],
  ['sigmoid, one layer', { sizes: [4, 3], activation: 'sigmoid', outputActivation: 'sigmoid' }],
];

function pair(cfg: (typeof CASES)[number][1], seed = 3): [Layer, Layer] {
  return [mlp({ ...cfg, fused: true }, new Rng(seed)), mlp({ ...cfg, fused: false }, new Rng(seed))];
}

function data(cfg: (typeof CASES)[number][1], n = 11) {
  const r = new Rng(9);
  const d0 = cfg.sizes[0];
  const dL = cfg.sizes[cfg.sizes.length - 1];
  return { x: tf.tensor2d(r.normalArray(n * d0), [n, d0]), y: tf.tensor2d(r.normalArray(n * dL, 0, 0.5), [n, dL]) };
}

describe('fused dense stack (wasm)', () => {
  it('is registered on wasm', () => expect(denseStackSupported()).toBe(true));

  describe.each(CASES)('%s', (_, cfg) => {
    it('has the same weights as the plain mlp and the same output (relative 1e-5)', () => {
      const [f, p] = pair(cfg);
      const { x } = data(cfg);
      expect(getWeights(f)).toEqual(getWeights(p));
      expect(relErr(f.apply(x).dataSync(), p.apply(x).dataSync())).toBeLessThan(1e-5);
      // leading axes are kept: (2, 3, d0) -> (2, 3, dL)
      const x3 = tf.reshape(tf.slice(x, [0, 0], [6, -1]), [2, 3, cfg.sizes[0]]);
      const y3 = f.apply(x3);
      expect(y3.shape).toEqual([2, 3, cfg.sizes[cfg.sizes.length - 1]]);
      expect(relErr(y3.dataSync(), p.apply(x3).dataSync())).toBeLessThan(1e-5);
    });

    it("gives the plain path's weight, bias and input gradients (relative 1e-5)", () => {
      const [f, p] = pair(cfg);
      const { x, y } = data(cfg);
      const gf = tf.variableGrads(() => mse(f.apply(x), y), f.params as tf.Variable[]);
      const gp = tf.variableGrads(() => mse(p.apply(x), y), p.params as tf.Variable[]);
      f.params.forEach((v, i) =>
        expect(relErr(gf.grads[v.name].dataSync(), gp.grads[p.params[i].name].dataSync())).toBeLessThan(1e-5),
      );
      const dxf = tf.grad((xx: tf.Tensor) => mse(f.apply(xx), y))(x);
      const dxp = tf.grad((xx: tf.Tensor) => mse(p.apply(xx), y))(x);
      expect(relErr(dxf.dataSync(), dxp.dataSync())).toBeLessThan(1e-5);
    });

    // relu's kink: some central differences straddle it (the plain path fails them equally), so
    // its gradients are checked against the plain path above and the smooth cases here
    (cfg.activation === 'relu' ? it.skip : it)('matches central finite differences', () => {
      const [f] = pair(cfg);
      const { x, y } = data(cfg);
      const r = gradCheck(() => mse(f.apply(x), y), f.params, 1e-2, 6, 1e-2);
      expect(r.maxRelError).toBeLessThan(2e-2);
    });

    it('trains like the plain path: 5 Adam steps agree (relative 1e-4) and leave no tensors', async () => {
      const [f, p] = pair(cfg);
      const { x, y } = data(cfg);
      const [of, op] = [adam({ learningRate: 0.01 }), adam({ learningRate: 0.01 })];
      of.minimize(() => mse(f.apply(x, { training: true }), y), f.params);
      op.minimize(() => mse(p.apply(x, { training: true }), y), p.params);
      await expectNoLeak(() => {
        for (let i = 0; i < 4; i++) {
          of.minimize(() => mse(f.apply(x, { training: true }), y), f.params);
          op.minimize(() => mse(p.apply(x, { training: true }), y), p.params);
        }
      }, 'fused and plain Adam steps');
      const wf = getWeights(f);
      getWeights(p).forEach((w, i) => expect(relErr(wf[i], w)).toBeLessThan(1e-4));
    });
  });

  it('supports nested gradients (an input-gradient penalty trained by its weight gradient)', () => {
    const cfg = { sizes: [3, 8, 8, 2], activation: 'tanh' as const, outputActivation: 'sigmoid' as const };
    const [f, p] = pair(cfg);
    const { x } = data(cfg);
    // penalty = mean (d sum(net(x)) / dx)^2, differentiated with respect to the weights
    const penalty = (net: Layer) => () =>
      tf.mean(tf.square(tf.grad((xx: tf.Tensor) => tf.sum(net.apply(xx)))(x))) as tf.Scalar;
    const gf = tf.variableGrads(penalty(f), f.params as tf.Variable[]);
    const gp = tf.variableGrads(penalty(p), p.params as tf.Variable[]);
    expect(relErr([gf.value.dataSync()[0]], [gp.value.dataSync()[0]])).toBeLessThan(1e-5);
    f.params.forEach((v, i) =>
      expect(relErr(gf.grads[v.name].dataSync(), gp.grads[p.params[i].name].dataSync())).toBeLessThan(1e-4),
    );
  });

  it('names the mismatch when layers and activations disagree', () => {
    const x = tf.zeros([2, 3]);
    const W = tf.zeros([3, 2]);
    expect(() => denseStack(x as tf.Tensor2D, [W], [], ['relu'])).toThrow(
      'denseStack: got 1 weights, 0 biases and 1 activations; give one of each per layer',
    );
  });

  it('keeps the plain path for norms, dropout and activations it does not fuse (same weights per seed)', () => {
    const g = mlp({ sizes: [3, 4, 1], activation: 'gelu' }, new Rng(1));
    const h = mlp({ sizes: [3, 4, 1], activation: 'gelu', fused: false }, new Rng(1));
    expect(getWeights(g)).toEqual(getWeights(h));
    const x = tf.ones([2, 3]);
    expect(Array.from(g.apply(x).dataSync())).toEqual(Array.from(h.apply(x).dataSync()));
  });
});

import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { groupNorm } from './blocks';
import { groupNormOp } from './group-norm';
import { convVae } from '../vae/conv-vae';
import { sampleVae, vaeStep } from '../vae/vae';
import { dcgan } from '../gan/dcgan';
import { ganStep, sampleGan } from '../gan/gan';
import { smallUnet } from '../diffusion/unet';
import { ddpmStep, sampleDdim } from '../diffusion/ddpm';
import { noiseSchedule } from '../diffusion/schedule';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

// Tiny 8x8 images: a bright square in a random corner.
function squares(n: number, rng: Rng): tf.Tensor4D {
  const S = 8,
    x = new Float32Array(n * S * S);
  for (let i = 0; i < n; i++) {
    const r0 = rng.int(2) * 4,
      c0 = rng.int(2) * 4;
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) x[i * 64 + (r0 + r) * S + c0 + c] = 1;
  }
  return tf.tensor4d(x, [n, S, S, 1]);
}

describe('convolutional generative nets', () => {
  it('groupNorm gives each (example, group) zero mean and unit variance', () => {
    const gn = groupNorm(8, 2);
    const x = tf.randomNormal([3, 4, 4, 8], 2, 3, 'float32', 1);
    const y = gn.apply(x).reshape([3, 4, 4, 2, 4]);
    const { mean, variance } = tf.moments(y, [1, 2, 4]);
    expect(tf.max(tf.abs(mean)).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(variance.sub(1))).dataSync()[0]).toBeLessThan(1e-3);
    expect(() => groupNorm(6, 4)).toThrow(/divisible by groups/);
  });

  it('groupNormOp: value and its hand-written gradients equal autodiff of the plain formula', () => {
    const [B, H, W, C, G] = [3, 4, 5, 6, 2];
    const x = tf.randomNormal([B, H, W, C], 1, 2, 'float32', 2) as tf.Tensor4D;
    const gamma = tf.randomNormal([C], 1, 0.5, 'float32', 3) as tf.Tensor1D,
      beta = tf.randomNormal([C], 0, 1, 'float32', 4) as tf.Tensor1D;
    const w = tf.randomNormal([B, H, W, C], 0, 1, 'float32', 5); // a loss that weighs every output differently
    const plain = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
      const g = x.reshape([B, H, W, G, C / G]);
      const { mean, variance } = tf.moments(g, [1, 2, 4], true);
      return g.sub(mean).div(variance.add(1e-5).sqrt()).reshape([B, H, W, C]).mul(gamma).add(beta);
    };
    const fused = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
      groupNormOp(x as tf.Tensor4D, gamma as tf.Tensor1D, beta as tf.Tensor1D, G);
    const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(a.sub(b))).dataSync()[0];
    expect(maxDiff(plain(x, gamma, beta), fused(x, gamma, beta))).toBeLessThan(1e-5);
    const gradsOf = (f: typeof plain) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => f(a, b, c).mul(w).sum())([x, gamma, beta]);
    const [ref, got] = [gradsOf(plain), gradsOf(fused)];
    for (let i = 0; i < 3; i++) {
      const scale = tf.max(tf.abs(ref[i])).dataSync()[0];
      expect(maxDiff(ref[i], got[i]) / scale).toBeLessThan(1e-5);
    }
    expect(() => groupNormOp(x, gamma, beta, 4)).toThrow(/divisible by groups/);
  });

  it('conv VAE: shapes, loss falls, a step leaks nothing', async () => {
    const rng = new Rng(1);
    const vae = convVae({ size: 8, latentSize: 2, likelihood: 'bernoulli', width: 4 }, rng);
    const x = squares(32, rng);
    const opt = adam({ learningRate: 3e-3 });
    const first = vaeStep(vae, x, opt, rng).loss;
    await expectNoLeak(() => vaeStep(vae, x, opt, rng), 'conv VAE step');
    let last = first;
    for (let t = 0; t < 40; t++) last = vaeStep(vae, x, opt, rng).loss;
    expect(last).toBeLessThan(first - 5);
    expect(sampleVae(vae, 3, rng).shape).toEqual([3, 8, 8, 1]);
    expect(() => convVae({ size: 10, latentSize: 2, likelihood: 'bernoulli' }, rng)).toThrow(/multiple of 4/);
    expect(() => convVae({ size: 8, latentSize: 0, likelihood: 'bernoulli' }, rng)).toThrow(
      /latentSize must be a positive integer, got 0/,
    );
  });

  it('DCGAN: shapes in [-1, 1], a step leaks nothing', async () => {
    const rng = new Rng(2);
    const gan = dcgan({ size: 8, latentSize: 4, loss: 'nonSaturating', realLabel: 0.9, width: 4 }, rng);
    const x = squares(16, rng).mul(2).sub(1);
    const oG = adam({ learningRate: 2e-4, beta1: 0.5 }),
      oD = adam({ learningRate: 2e-4, beta1: 0.5 });
    ganStep(gan, x, oG, oD, rng);
    await expectNoLeak(() => ganStep(gan, x, oG, oD, rng), 'DCGAN step');
    const s = sampleGan(gan, 2, rng);
    expect(s.shape).toEqual([2, 8, 8, 1]);
    expect(tf.max(tf.abs(s)).dataSync()[0]).toBeLessThanOrEqual(1);
  });

  it('U-Net denoiser: shapes, loss falls, a step leaks nothing', async () => {
    const rng = new Rng(3);
    const net = smallUnet({ width: 8, groups: 4, embeddingSize: 16 }, rng);
    const s = noiseSchedule({ kind: 'cosine', T: 50 });
    const x = squares(8, rng).mul(2).sub(1);
    expect(net.predict(x, tf.fill([8], 3) as tf.Tensor1D).shape).toEqual([8, 8, 8, 1]);
    const opt = adam({ learningRate: 3e-3 });
    ddpmStep(net, s, x, opt, rng);
    await expectNoLeak(() => ddpmStep(net, s, x, opt, rng), 'U-Net DDPM step');
    let early = 0,
      late = 0;
    for (let t = 0; t < 30; t++) {
      const l = ddpmStep(net, s, x, opt, rng).loss;
      if (t < 5) early += l / 5;
      if (t >= 25) late += l / 5;
    }
    expect(late).toBeLessThan(early);
    expect(sampleDdim(net, s, [2, 8, 8, 1], 5, rng, 0, { clip: 1 }).shape).toEqual([2, 8, 8, 1]);
  });
});

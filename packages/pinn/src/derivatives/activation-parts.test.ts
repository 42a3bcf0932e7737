import { ACTIVATION_NAMES, getActivation, initBackend, tf } from '@aml/core';
import { activationParts } from './activation-parts';
import { fastMatMul } from './matmul';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('activationParts', () => {
  it.each(ACTIVATION_NAMES.map((a) => [a]))('%s: value, d1, d2 equal @aml/core getActivation', (name) => {
    const z = tf.linspace(-4, 4, 41);
    const p = activationParts(name, z, 2);
    const act = getActivation(name);
    const pairs: [tf.Tensor, tf.Tensor][] = [[p.f, act.apply(z)], [p.d1!, act.d1(z)], [p.d2!, act.d2(z)]];
    for (const [a, b] of pairs) {
      const err = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
      expect(err).toBeLessThan(2e-6);
    }
    tf.dispose([z, p.f, p.d1!, p.d2!, ...pairs.map(([, b]) => b)]);
  });
});

describe('fastMatMul', () => {
  it('has the value and gradients of tf.matMul', () => {
    const a = tf.tensor2d([[1, 2, 3], [4, 5, -6]]);
    const b = tf.tensor2d([[1, 0], [0.5, 2], [-1, 3]]);
    const dy = tf.tensor2d([[1, -2], [0.5, 3]]);
    const f = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.sum(tf.mul(fastMatMul(x, y), dy));
    const g = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.sum(tf.mul(tf.matMul(x, y), dy));
    const [ga, gb] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([a, b]);
    const [ra, rb] = tf.grads(g as (...args: tf.Tensor[]) => tf.Tensor)([a, b]);
    expect(Array.from(fastMatMul(a, b).dataSync())).toEqual(Array.from(tf.matMul(a, b).dataSync()));
    expect(Array.from(ga.dataSync())).toEqual(Array.from(ra.dataSync()));
    expect(Array.from(gb.dataSync())).toEqual(Array.from(rb.dataSync()));
  });
});

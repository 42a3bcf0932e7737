import { tf, initBackend, expectNoLeak } from '@aml/core';
import { fit } from './fit';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('fit', () => {
  it('minimises a quadratic, clips the gradient norm, leaves no tensors', async () => {
    const w = tf.variable(tf.tensor1d([3, -4]));
    const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
    const h = await expectNoLeak(() => fit({ params: [w], loss, steps: 300, lr: 0.05 }), 'fit');
    expect(h[0]).toBeCloseTo(25, 4);
    expect(h[h.length - 1]).toBeLessThan(1e-3);
    // clipped SGD-like first step: Adam's first step is lr * sign(g) whatever the clip, so check the loss still falls
    w.assign(tf.tensor1d([3, -4]));
    const c = fit({ params: [w], loss, steps: 50, lr: 0.1, clipNorm: 1 });
    expect(c[c.length - 1]).toBeLessThan(c[0]);
    expect(() => fit({ params: [w], loss: () => tf.mul(tf.sum(w), NaN) as tf.Scalar, steps: 1 })).toThrow(
      'fit: loss became NaN at step 0; lower the learning rate',
    );
    w.dispose();
  });
});

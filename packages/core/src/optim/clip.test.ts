import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { expectNoLeak } from '../testing/leaks';
import { adam } from './adam';
import { withGradientClipping } from './clip';
import { lbfgs } from './lbfgs/lbfgs';
import { sgd } from './sgd';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('withGradientClipping', () => {
  it('scales all gradients by maxNorm / globalNorm when above, keeping the direction', () => {
    // loss = 3a + 4b . [1, 1]... gradients: a -> 3, b -> [4, 0]: global norm 5
    const a = tf.variable(tf.scalar(0)),
      b = tf.variable(tf.tensor1d([0, 0]));
    const opt = withGradientClipping(sgd({ learningRate: 1 }), { maxNorm: 1 });
    opt.minimize(() => a.mul(3).add(b.mul(tf.tensor1d([4, 0])).sum()) as tf.Scalar, [a, b]);
    expect(opt.lastNorm).toBeCloseTo(5, 6);
    expect(a.dataSync()[0]).toBeCloseTo(-3 / 5, 6);
    expect(Array.from(b.dataSync())).toEqual([-0.800000011920929, 0]);
    tf.dispose([a, b]);
  });

  it('leaves gradients below maxNorm unchanged and leaks nothing', async () => {
    const w = tf.variable(tf.tensor1d([0.1, -0.2]));
    const opt = withGradientClipping(sgd({ learningRate: 0.5 }), { maxNorm: 10 });
    await expectNoLeak(() => opt.minimize(() => w.square().sum() as tf.Scalar, [w]), 'clipped step');
    const v = Array.from(w.dataSync());
    expect(v[0]).toBeCloseTo(0.1 - 0.5 * 0.2, 6);
    expect(v[1]).toBeCloseTo(-0.2 + 0.5 * 0.4, 6);
    w.dispose();
  });

  it('delegates name, learning rate and state to the inner optimizer', () => {
    const inner = adam({ learningRate: 0.1 });
    const opt = withGradientClipping(inner, { maxNorm: 1 });
    opt.learningRate = 0.01;
    expect(inner.learningRate).toBe(0.01);
    expect(opt.name).toBe('adam');
    expect(opt.getState()).toEqual(inner.getState());
  });

  it('rejects a bad maxNorm and L-BFGS', () => {
    expect(() => withGradientClipping(sgd(), { maxNorm: 0 })).toThrow(
      'withGradientClipping: maxNorm must be a finite number > 0, got 0',
    );
    expect(() => withGradientClipping(lbfgs(), { maxNorm: 1 })).toThrow('clip only first-order optimizers');
  });
});

import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { expectNoLeak } from '../testing/leaks';
import { adam } from '../optim/adam';
import { Rng } from '../random/rng';
import { train } from './train';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** y = X w* exactly; least squares recovers w*. */
function linearProblem() {
  const rng = new Rng(1);
  const X = tf.tensor2d(rng.normalArray(64 * 3), [64, 3]); // (N, 3)
  const wStar = tf.tensor2d([[0.5], [-1], [2]]); // (3, 1)
  const y = X.matMul(wStar); // (N, 1)
  return { X, y, wStar };
}

describe('train (steps, full batch)', () => {
  it('Adam fits a linear model to the exact weights and records loss and terms', async () => {
    const { X, y, wStar } = linearProblem();
    const w = tf.variable(tf.zeros([3, 1]));
    const b = tf.variable(tf.zeros([1]));
    const history = await train({
      params: { w, b },
      optimizer: adam({ learningRate: 0.05 }),
      steps: 600,
      progress: 'none',
      loss: () => {
        const mse = tf.losses.meanSquaredError(y, X.matMul(w).add(b)) as tf.Scalar;
        const reg = b.square().sum() as tf.Scalar;
        return { loss: mse.add(reg), terms: { mse, reg } };
      },
    });
    expect(history.loss).toHaveLength(600);
    expect(history.terms.mse).toHaveLength(600);
    expect(history.loss[0]).toBeGreaterThan(1);
    // loss = mse + reg at every step
    for (const i of [0, 10, 599]) expect(history.loss[i]).toBeCloseTo(history.terms.mse[i] + history.terms.reg[i], 5);
    expect(history.loss[599]).toBeLessThan(1e-6);
    const got = Array.from(w.dataSync()),
      want = Array.from(wStar.dataSync());
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-3));
    expect(history.stopReason).toBe('completed');
    tf.dispose([X, y, wStar, w, b]);
  });

  it('a 100-step training loop leaves tf.memory().numTensors unchanged', async () => {
    const { X, y, wStar } = linearProblem();
    const w = tf.variable(tf.zeros([3, 1]));
    const opt = adam({ learningRate: 0.01 });
    const loss = () => tf.losses.meanSquaredError(y, X.matMul(w)) as tf.Scalar;
    opt.minimize(loss, [w]); // creates the optimizer's slots (kept on purpose)
    await expectNoLeak(
      () =>
        train({
          params: [w],
          optimizer: opt,
          steps: 100,
          progress: 'none',
          loss: () => ({ loss: loss(), terms: { a: loss() } }),
        }),
      '100-step train',
    );
    opt.dispose();
    tf.dispose([X, y, wStar, w]);
  });

  it('customStep runs instead of the optimizer; a callback can stop training with a reason', async () => {
    let calls = 0;
    const history = await train({
      params: [],
      steps: 50,
      progress: 'none',
      customStep: (ctx) => {
        calls++;
        return { loss: 1 / (ctx.step + 1), terms: { x: ctx.step } };
      },
      callbacks: [
        {
          onStepEnd: (s) => {
            if (s.loss < 0.1) s.stop(`loss below 0.1 at step ${s.step}`);
          },
        },
      ],
    });
    expect(calls).toBe(11); // 1/(9+1) = 0.1 is not < 0.1; step 10 gives 1/11
    expect(history.loss).toHaveLength(11);
    expect(history.terms.x[10]).toBe(10);
    expect(history.stopReason).toBe('loss below 0.1 at step 10');
  });
});

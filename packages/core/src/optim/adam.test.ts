import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { expectNoLeak } from '../testing/leaks';
import { adam } from './adam';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Reference Adam in float64 on f(w) = sum(c * w^2), gradient 2 c w. */
function adamReference(w0: number[], c: number[], steps: number, lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const w = [...w0],
    m = w.map(() => 0),
    v = w.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < w.length; i++) {
      const g = 2 * c[i] * w[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      w[i] -= (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    }
  }
  return w;
}

describe('adam', () => {
  it('first step moves each weight by lr * sign(g) (bias correction), then matches a float64 reference', () => {
    const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const c = tf.tensor1d([1, 3, 10]);
    const opt = adam({ learningRate: 0.1 });
    const f = () => c.mul(w.square()).sum() as tf.Scalar;
    const l0 = opt.minimize(f, [w]);
    expect(l0).toBeCloseTo(1 + 12 + 2.5, 5); // loss before the update
    // t=1: m_hat = g, v_hat = g^2, so the step is lr * g/|g| (up to eps)
    const w1 = Array.from(w.dataSync());
    [0.9, -1.9, 0.4].forEach((x, i) => expect(w1[i]).toBeCloseTo(x, 6));
    for (let i = 0; i < 4; i++) opt.minimize(f, [w]);
    const ref = adamReference([1, -2, 0.5], [1, 3, 10], 5, 0.1);
    Array.from(w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(ref[i], 5));
    expect(opt.getState().step).toBe(5);
    opt.dispose();
    w.dispose();
    c.dispose();
  });

  it('a step leaves no tensors (after the first creates the slots)', async () => {
    const w = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    const opt = adam();
    const f = () => w.square().mean() as tf.Scalar;
    opt.minimize(f, [w]);
    await expectNoLeak(() => {
      for (let i = 0; i < 10; i++) opt.minimize(f, [w]);
    }, 'adam steps');
    opt.dispose();
    w.dispose();
  });

  it('state round-trips through JSON into a fresh optimizer and continues identically', () => {
    const f = (w: tf.Variable) => () => w.sub(3).square().sum() as tf.Scalar;
    const wa = tf.variable(tf.tensor1d([0, 1])),
      wb = tf.variable(tf.tensor1d([0, 1]));
    const a = adam({ learningRate: 0.05 });
    for (let i = 0; i < 3; i++) a.minimize(f(wa), [wa]);
    wb.assign(wa);
    const b = adam({ learningRate: 0.05 });
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    for (let i = 0; i < 3; i++) {
      a.minimize(f(wa), [wa]);
      b.minimize(f(wb), [wb]);
    }
    expect(Array.from(wb.dataSync())).toEqual(Array.from(wa.dataSync()));
    a.dispose();
    b.dispose();
    wa.dispose();
    wb.dispose();
  });

  it.each([
    [{ learningRate: -1 }, 'learningRate must be a finite number > 0, got -1'],
    [{ learningRate: 0 }, 'learningRate must be a finite number > 0, got 0'],
    [{ learningRate: Infinity }, 'learningRate must be a finite number > 0, got Infinity'],
    [{ learningRate: NaN }, 'learningRate must be a finite number > 0, got NaN'],
    [{ beta1: 1 }, 'beta1 must be in [0, 1), got 1'],
    [{ lr: 0.1 }, 'Unrecognized key: "lr"'],
  ])('rejects bad config %j', (cfg, msg) => {
    expect(() => adam(cfg as never)).toThrow(msg);
  });

  it("refuses another optimizer's state and mismatched slot shapes", () => {
    const opt = adam();
    expect(() => opt.setState({ name: 'sgd', step: 1, learningRate: 0.1, slots: [] })).toThrow(
      "the state belongs to optimizer 'sgd', not 'adam'",
    );
    opt.setState({
      name: 'adam',
      step: 1,
      learningRate: 0.1,
      slots: [{ m: { shape: [2], values: [0, 0] }, v: { shape: [2], values: [0, 0] } }],
    });
    const w = tf.variable(tf.zeros([3]));
    expect(() => opt.minimize(() => w.sum() as tf.Scalar, [w])).toThrow("restored slot 'm' of variable 0");
    w.dispose();
    opt.dispose();
  });
});

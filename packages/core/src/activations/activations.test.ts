import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { ACTIVATION_NAMES, getActivation } from './activations';

// Points away from the kinks of relu / leakyRelu / elu at 0.
const XS = [-2.3, -0.7, 0.4, 1.1, 1.9];

/** erf in float64 (Abramowitz-Stegun 7.1.26 is too coarse for 4th differences: series + continued fraction). */
function erf64(x: number): number {
  const a = Math.abs(x);
  let s = 0;
  if (a < 3) {
    let term = a;
    for (let n = 0; n < 60; n++) {
      s += term / (2 * n + 1);
      term *= (-a * a) / (n + 1);
    }
    s *= 2 / Math.sqrt(Math.PI);
  } else s = 1;
  return Math.sign(x) * s;
}
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const sp = (x: number) => Math.log1p(Math.exp(x));
const F64: Record<string, (x: number) => number> = {
  identity: (x) => x,
  sigmoid: sig,
  tanh: Math.tanh,
  relu: (x) => Math.max(0, x),
  leakyRelu: (x) => (x > 0 ? x : 0.01 * x),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  gelu: (x) => 0.5 * x * (1 + erf64(x / Math.SQRT2)),
  geluTanh: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  silu: (x) => x * sig(x),
  mish: (x) => x * Math.tanh(sp(x)),
  softplus: sp,
  sin: Math.sin,
};

function values(f: (x: tf.Tensor) => tf.Tensor, xs: number[]): number[] {
  return tf.tidy(() => Array.from(f(tf.tensor1d(xs)).dataSync()));
}

describe.each(['wasm', 'cpu'] as const)('activations on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend, quiet: true });
  });

  describe.each(ACTIVATION_NAMES.map((n) => [n]))('%s', (name) => {
    const act = getActivation(name);
    const h = 1e-2;
    const fd = (g: (x: tf.Tensor) => tf.Tensor) =>
      XS.map((x, i) => {
        const [p, m] = [values(g, [x + h]), values(g, [x - h])];
        return (p[0] - m[0]) / (2 * h);
      });

    it('d1..d4 match central finite differences of the order below', () => {
      const orders = [act.apply, act.d1, act.d2, act.d3, act.d4];
      for (let k = 1; k <= 4; k++) {
        const exact = values(orders[k], XS);
        const approx = fd(orders[k - 1]);
        exact.forEach((e, i) => expect(Math.abs(e - approx[i])).toBeLessThan(2e-3 * (1 + Math.abs(e))));
      }
    });

    it('nested tf.grad of apply gives d1, d2, d3, d4 (no throw, no silent error)', () => {
      // `+ 0*x` keeps x on the tape where a derivative is constant (relu'' = 0); tfjs throws otherwise.
      const onTape = (x: tf.Tensor, y: tf.Tensor) => tf.add(y.sum(), tf.mul(0, x).sum());
      const g1 = tf.grad((x: tf.Tensor) => onTape(x, act.apply(x)));
      const g2 = tf.grad((x: tf.Tensor) => onTape(x, g1(x)));
      const g3 = tf.grad((x: tf.Tensor) => onTape(x, g2(x)));
      const g4 = tf.grad((x: tf.Tensor) => onTape(x, g3(x)));
      const grads = [g1, g2, g3, g4];
      const refs = [act.d1, act.d2, act.d3, act.d4];
      for (let k = 0; k < 4; k++) {
        const got = values(grads[k], XS);
        const want = values(refs[k], XS);
        got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 4));
      }
    });

    it('d1..d4 match float64 central differences of f itself (5-point stencils, h = 0.02)', () => {
      // f in float64 from the same formulas as the package's test oracle (ACT64-like, written here).
      const f64 = F64[name];
      const h2 = 0.02;
      const f = (x: number) => f64(x);
      const fd = [
        (x: number) => (f(x + h2) - f(x - h2)) / (2 * h2),
        (x: number) => (f(x + h2) - 2 * f(x) + f(x - h2)) / h2 ** 2,
        (x: number) => (f(x + 2 * h2) - 2 * f(x + h2) + 2 * f(x - h2) - f(x - 2 * h2)) / (2 * h2 ** 3),
        (x: number) => (f(x + 2 * h2) - 4 * f(x + h2) + 6 * f(x) - 4 * f(x - h2) + f(x - 2 * h2)) / h2 ** 4,
      ];
      const got = [act.d1, act.d2, act.d3, act.d4].map((g) => values(g, XS));
      // truncation O(h^2 f^(k+2)) ~ 1e-3 for the fourth derivative; float32 values ~1e-6
      got.forEach((row, k) =>
        row.forEach((v, i) => expect(Math.abs(v - fd[k](XS[i]))).toBeLessThan(3e-3 * (1 + Math.abs(v)))),
      );
    });

    it('series(x, 4) equals apply, d1..d4, and rejects order 5', () => {
      const want = [act.apply, act.d1, act.d2, act.d3, act.d4].map((g) => values(g, XS));
      const got = tf.tidy(() => act.series(tf.tensor1d(XS), 4).map((t) => Array.from(t.dataSync())));
      want.forEach((row, k) => row.forEach((w, i) => expect(got[k][i]).toBeCloseTo(w, 5)));
      expect(tf.tidy(() => act.series(tf.tensor1d(XS), 1).length)).toBe(2);
      expect(() => act.series(tf.tensor1d(XS), 5)).toThrow(`activation ${name}: series order must be 0..4, got 5`);
    });

    it('parts(x, 2) equals apply, d1, d2', () => {
      const [f, d1, d2] = [values(act.apply, XS), values(act.d1, XS), values(act.d2, XS)];
      const p = tf.tidy(() => {
        const r = act.parts(tf.tensor1d(XS), 2);
        return [r.f, r.d1!, r.d2!].map((t) => Array.from(t.dataSync()));
      });
      [f, d1, d2].forEach((want, k) => want.forEach((w, i) => expect(p[k][i]).toBeCloseTo(w, 6)));
      expect(tf.tidy(() => act.parts(tf.tensor1d(XS), 0).d1)).toBeUndefined();
    });

    it('leaves no tensors behind', () => {
      const before = tf.memory().numTensors;
      values(act.d3, XS);
      tf.tidy(() => {
        tf.grad((x: tf.Tensor) => act.apply(x).sum())(tf.tensor1d(XS));
      });
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it('known values: tanh, gelu, softplus, mish at fixed points', () => {
    expect(values(getActivation('tanh').apply, [0.5])[0]).toBeCloseTo(Math.tanh(0.5), 6);
    // GELU(1) = Phi(1) = 0.8413447460685429
    expect(values(getActivation('gelu').apply, [1])[0]).toBeCloseTo(0.8413447460685429, 5);
    expect(values(getActivation('geluTanh').apply, [1])[0]).toBeCloseTo(0.8411919906082768, 5);
    expect(values(getActivation('softplus').apply, [0])[0]).toBeCloseTo(Math.log(2), 6);
    expect(values(getActivation('mish').apply, [1])[0]).toBeCloseTo(Math.tanh(Math.log1p(Math.E)), 6);
  });
});

it('unknown activation names the valid ones', () => {
  expect(() => getActivation('swish')).toThrow(
    'activation: unknown activation "swish"; use one of identity, sigmoid, tanh',
  );
});

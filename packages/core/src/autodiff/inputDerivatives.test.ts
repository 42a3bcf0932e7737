import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { Rng } from '../random/rng';
import { expectNoLeak } from '../testing/leaks';
import { getActivation } from '../activations/activations';
import { inputDerivatives, inputGradient, laplacian } from './inputDerivatives';

/** A random tanh MLP, with a float64 twin in plain JS for finite differences. */
function randomMlp(sizes: number[], rng: Rng) {
  const W: number[][][] = [],
    b: number[][] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    W.push(
      Array.from({ length: sizes[l] }, () =>
        Array.from({ length: sizes[l + 1] }, () => rng.normal(0, 1 / Math.sqrt(sizes[l]))),
      ),
    );
    b.push(Array.from({ length: sizes[l + 1] }, () => rng.normal(0, 0.1)));
  }
  const vars = W.map((w, l) => [tf.variable(tf.tensor2d(w)), tf.variable(tf.tensor1d(b[l]))] as const);
  const act = getActivation('tanh');
  const net = (x: tf.Tensor2D) => {
    let a: tf.Tensor = x;
    vars.forEach(([w, bb], l) => {
      a = tf.add(tf.matMul(a as tf.Tensor2D, w), bb);
      if (l < vars.length - 1) a = act.apply(a);
    });
    return a as tf.Tensor2D;
  };
  const net64 = (x: number[], Wm = W): number[] => {
    let a = x;
    Wm.forEach((w, l) => {
      const z = b[l].map((bj, j) => bj + a.reduce((s, ai, i) => s + ai * w[i][j], 0));
      a = l < Wm.length - 1 ? z.map(Math.tanh) : z;
    });
    return a;
  };
  return { vars, net, net64, W };
}

describe('inputDerivatives (nested autodiff)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  const rng = new Rng(5);
  const { vars, net, net64, W } = randomMlp([3, 12, 9, 2], rng);
  const pts = [
    [0.3, -0.5, 0.8],
    [-1.1, 0.2, 0.4],
    [0.9, 0.7, -0.6],
  ];
  const h = 1e-4;
  const shift = (p: number[], i: number, e: number) => p.map((v, k) => (k === i ? v + e : v));

  it('first and second (pure and mixed) derivatives match central finite differences', () => {
    const requests = [[], [0], [2], [0, 0], [1, 1], [0, 2], [2, 1]];
    const out = tf.tidy(() =>
      inputDerivatives(net, tf.tensor2d(pts), requests).map((t) => t.arraySync() as number[][]),
    );
    pts.forEach((p, n) => {
      for (let k = 0; k < 2; k++) {
        requests.forEach((r, q) => {
          let want: number;
          if (r.length === 0) want = net64(p)[k];
          else if (r.length === 1) want = (net64(shift(p, r[0], h))[k] - net64(shift(p, r[0], -h))[k]) / (2 * h);
          else {
            const [i, j] = r;
            const f = (a: number, c: number) => net64(shift(shift(p, i, a), j, c))[k];
            want = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h);
          }
          expect(Math.abs(out[q][n][k] - want)).toBeLessThan(2e-4 * (1 + Math.abs(want)));
        });
      }
    });
  });

  it('laplacian and inputGradient agree with the per-index results', () => {
    tf.tidy(() => {
      const x = tf.tensor2d(pts);
      const [uxx, uyy, uzz] = inputDerivatives(net, x, [
        [0, 0],
        [1, 1],
        [2, 2],
      ]);
      const lap = laplacian(net, x);
      expect(tf.max(tf.abs(tf.sub(lap, tf.addN([uxx, uyy, uzz])))).dataSync()[0]).toBeLessThan(1e-6);
      const [g0] = inputGradient(net, x);
      const [ux] = inputDerivatives(net, x, [[0]]);
      expect(
        tf.max(tf.abs(tf.sub(tf.slice(g0, [0, 0], [-1, 1]), tf.slice(ux, [0, 0], [-1, 1])))).dataSync()[0],
      ).toBeLessThan(1e-7);
    });
  });

  it('works inside a loss differentiated for the weights (weight gradient of mean(u_xx^2) vs FD)', () => {
    const loss = () =>
      tf.tidy(() => {
        const [uxx] = inputDerivatives(net, tf.tensor2d(pts), [[0, 0]]);
        return tf.mean(tf.square(tf.slice(uxx, [0, 0], [-1, 1]))) as tf.Scalar;
      });
    const { grads } = tf.variableGrads(loss, [vars[0][0]]);
    const g = grads[vars[0][0].name].arraySync() as number[][];
    tf.dispose(grads);
    // float64 FD of the same loss with respect to W0[1][4]
    const loss64 = (Wm: number[][][]) =>
      pts.reduce((s, p) => {
        const f = (a: number) => net64(shift(p, 0, a), Wm)[0];
        const hh = 1e-3;
        const uxx = (f(hh) - 2 * f(0) + f(-hh)) / (hh * hh);
        return s + (uxx * uxx) / pts.length;
      }, 0);
    const e = 1e-4;
    const Wp = W.map((w) => w.map((r) => r.slice()));
    Wp[0][1][4] += e;
    const Wm = W.map((w) => w.map((r) => r.slice()));
    Wm[0][1][4] -= e;
    const want = (loss64(Wp) - loss64(Wm)) / (2 * e);
    expect(Math.abs(g[1][4] - want)).toBeLessThan(2e-3 * (1 + Math.abs(want)));
  });

  it('leaves no tensors behind', async () => {
    const x = tf.tensor2d(pts);
    await expectNoLeak(() => tf.dispose(inputDerivatives(net, x, [[], [0], [0, 1]])), 'inputDerivatives');
    x.dispose();
  });

  it('bad requests name the index and the shape', () => {
    const x = tf.tensor2d(pts);
    expect(() => inputDerivatives(net, x, [[3]])).toThrow(
      'inputDerivatives: input index 3 in [3] is out of range for x with 3 column(s)',
    );
    expect(() => inputDerivatives(net, x, [[0, 1, 2]])).toThrow('order 3 requested');
    x.dispose();
  });
});

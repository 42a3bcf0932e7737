import { ACTIVATION_NAMES, expectNoLeak, initBackend, Rng, tf, type ActivationName } from '@aml/core';
import { fdDerivative, forward64, type Mlp64 } from '../testing/mlp64';
import type { DerivativeIndex, MlpParams } from './engine';
import { createMlp, disposeMlp, mlpVariables } from './mlp';
import { nestedEngine } from './nested';
import { taylorEngine } from './taylor';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

function to64(net: MlpParams): Mlp64 {
  return {
    W: net.weights.map((w) => Float64Array.from(w.dataSync())),
    b: net.biases.map((b) => Float64Array.from(b.dataSync())),
    shapes: net.weights.map((w) => [w.shape[0], w.shape[1]] as [number, number]),
    activation: net.activation,
  };
}

const REQUESTS: DerivativeIndex[] = [[], [0], [1], [2], [0, 0], [0, 1], [1, 2], [2, 2], [0, 2], [1, 1]];
const N = 9;

function points(rng: Rng, n: number, d: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.range(-1.2, 1.2)));
}

describe.each(ACTIVATION_NAMES.map((a) => [a]))('taylor engine, %s', (activation) => {
  const rng = new Rng(11);
  let net: MlpParams;
  beforeAll(() => {
    net = createMlp({ inputs: 3, hidden: [6, 5], outputs: 2, activation: activation as ActivationName }, rng);
  });
  afterAll(() => disposeMlp(net));

  it('first and second input derivatives match float64 central differences', () => {
    const x = points(new Rng(3), N, 3);
    const net64 = to64(net);
    const out = tf.tidy(() => taylorEngine.derivatives(net, tf.tensor2d(x), REQUESTS).map((t) => t.arraySync()));
    // relu/leakyRelu/elu have kinks: FD across a kink is meaningless, so a point whose stencil
    // straddles one (FD with h and h/2 disagree) is skipped; at most a few are.
    let worst = 0;
    let skipped = 0;
    REQUESTS.forEach((r, q) => {
      x.forEach((p, n) => {
        const h = r.length === 2 ? 1e-3 : 1e-5;
        const fd = fdDerivative((y) => forward64(net64, y), p, r, h);
        const fdHalf = fdDerivative((y) => forward64(net64, y), p, r, h / 2);
        if (fd.some((v, k) => Math.abs(v - fdHalf[k]) > 1e-4 * (1 + Math.abs(v)))) {
          skipped++;
          return;
        }
        fd.forEach((v, k) => {
          worst = Math.max(worst, Math.abs(out[q][n][k] - v) / (1 + Math.abs(v)));
        });
      });
    });
    // float32 forward pass vs float64 FD (h^2 truncation ~1e-6): 2e-4 relative-plus-absolute.
    expect(worst).toBeLessThan(2e-4);
    expect(skipped).toBeLessThan(['relu', 'leakyRelu', 'elu'].includes(activation) ? 10 : 1);
  });

  it('equals the nested tf.grad engine', () => {
    const x = tf.tensor2d(points(new Rng(4), N, 3));
    const a = taylorEngine.derivatives(net, x, REQUESTS);
    const b = nestedEngine.derivatives(net, x, REQUESTS);
    a.forEach((t, q) => {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[q]))).dataSync()[0]);
      expect(diff).toBeLessThan(2e-5);
    });
    tf.dispose([x, ...a, ...b]);
  });
});

describe('taylor engine: weight gradients and shapes', () => {
  it('the weight gradient of a Burgers residual loss matches float64 finite differences', () => {
    const rng = new Rng(5);
    const net = createMlp({ inputs: 2, hidden: [5, 5], outputs: 1, activation: 'tanh' }, rng);
    const pts = points(new Rng(6), 12, 2);
    const nu = 0.05;
    const x = tf.tensor2d(pts);
    const vars = mlpVariables(net);
    const { grads } = tf.variableGrads(() => {
      const [u, ux, ut, uxx] = taylorEngine.derivatives(net, x, [[], [0], [1], [0, 0]]);
      const r = tf.sub(tf.add(ut, tf.mul(u, ux)), tf.mul(nu, uxx));
      return tf.mean(tf.square(r)) as tf.Scalar;
    }, vars);
    // Float64 loss with FD input derivatives; FD again over each weight.
    const net64 = to64(net);
    const loss64 = () => {
      let s = 0;
      for (const p of pts) {
        const f = (y: number[]) => forward64(net64, y);
        const u = f(p)[0];
        const ux = fdDerivative(f, p, [0], 1e-4)[0];
        const ut = fdDerivative(f, p, [1], 1e-4)[0];
        const uxx = fdDerivative(f, p, [0, 0], 1e-3)[0];
        s += (ut + u * ux - nu * uxx) ** 2;
      }
      return s / pts.length;
    };
    let checked = 0;
    vars.forEach((v, vi) => {
      const g = grads[v.name].dataSync();
      const arr = vi % 2 === 0 ? net64.W[vi / 2] : net64.b[(vi - 1) / 2];
      for (const k of [0, arr.length - 1]) {
        const h = 1e-5;
        const old = arr[k];
        arr[k] = old + h;
        const lp = loss64();
        arr[k] = old - h;
        const lm = loss64();
        arr[k] = old;
        const fd = (lp - lm) / (2 * h);
        expect(Math.abs(g[k] - fd)).toBeLessThan(1e-4 * (1 + Math.abs(fd)));
        checked++;
      }
    });
    expect(checked).toBe(12);
    tf.dispose([x, ...Object.values(grads)]);
    disposeMlp(net);
  });

  it.each(['sigmoid', 'silu', 'sin'] as const)(
    "%s: weight gradients of a residual loss equal the nested engine's",
    (activation) => {
      const net = createMlp({ inputs: 2, hidden: [7, 5], outputs: 2, activation }, new Rng(9));
      const x = tf.tensor2d(points(new Rng(10), 15, 2));
      const vars = mlpVariables(net);
      const gradsOf = (engine: typeof taylorEngine) =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            const [u, uy, uxx, uxy] = engine.derivatives(net, x, [[], [1], [0, 0], [0, 1]]);
            return tf.mean(tf.square(tf.add(tf.sub(uy, uxx), tf.mul(u, uxy)))) as tf.Scalar;
          }, vars);
          return vars.map((v) => Array.from(grads[v.name].dataSync()));
        });
      const a = gradsOf(taylorEngine);
      const b = gradsOf(nestedEngine);
      a.forEach((g, i) =>
        g.forEach((v, k) => expect(Math.abs(v - b[i][k])).toBeLessThan(1e-4 * (1 + Math.abs(b[i][k])))),
      );
      x.dispose();
      disposeMlp(net);
    },
  );

  it('a linear network (no hidden layer) gives constant first and zero second derivatives', () => {
    const net = createMlp({ inputs: 2, hidden: [], outputs: 1, activation: 'tanh' }, new Rng(1));
    const x = tf.tensor2d([
      [0.1, 0.2],
      [0.3, -0.4],
    ]);
    const [ux, uxy] = taylorEngine.derivatives(net, x, [[0], [0, 1]]);
    const w = net.weights[0].dataSync();
    expect(Array.from(ux.dataSync())).toEqual([w[0], w[0]]);
    expect(Array.from(uxy.dataSync())).toEqual([0, 0]);
    tf.dispose([x, ux, uxy]);
    disposeMlp(net);
  });

  it('leaves no tensors behind, and rejects bad requests and shapes with clear messages', async () => {
    const net = createMlp({ inputs: 2, hidden: [4], outputs: 1, activation: 'sin' }, new Rng(1));
    const x = tf.tensor2d([[0.1, 0.2]]);
    await expectNoLeak(() => tf.dispose(taylorEngine.derivatives(net, x, [[], [1], [0, 1]])), 'taylor derivatives');
    expect(() => taylorEngine.derivatives(net, x, [[2]])).toThrow(
      'input index 2 is out of range for 2 input(s); use 0..1',
    );
    expect(() => taylorEngine.derivatives(net, x, [[1, 0]])).toThrow(
      'write mixed derivatives with ascending indices, i.e. [0, 1]',
    );
    expect(() => taylorEngine.derivatives(net, x, [[0, 0, 0, 0, 0]])).toThrow('at most 4 indices');
    const x3 = tf.tensor2d([[0.1, 0.2, 0.3]]);
    expect(() => taylorEngine.derivatives(net, x3, [[]])).toThrow(
      'MLP layer 0: weight shape [2,4] does not take 3 inputs',
    );
    expect(() => createMlp({ inputs: 2, hidden: [0], outputs: 1, activation: 'tanh' }, new Rng(0))).toThrow(
      'hidden layer 0 width must be a positive integer, got 0',
    );
    tf.dispose([x, x3]);
    disposeMlp(net);
  });
});

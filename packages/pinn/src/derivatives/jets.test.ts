import { defineNetwork, expectNoLeak, initBackend, Rng, tf, type Network } from '@aml/core';
import { fdMulti, fdStep, forward64 } from '../networks/testing';
import { createMlpNetwork, mlpNetwork } from '../networks/mlp';
import { autoEngine, chooseEngine } from './choose';
import type { DerivativeIndex } from './engine';
import { closeRequests, faaTerms, leibnizTerms, setPartitions } from './multi-index';
import { nestedEngine } from './nested';
import { jetDerivatives, taylorEngine } from './taylor';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const ORDER4: DerivativeIndex[] = [
  [],
  [0],
  [1],
  [0, 0],
  [0, 1],
  [0, 0, 0],
  [0, 0, 1],
  [0, 0, 0, 0],
  [0, 0, 1, 1],
  [1, 1, 1, 1],
];

describe('multi-index bookkeeping', () => {
  it('set partitions number 1, 1, 2, 5, 15 (Bell numbers)', () => {
    expect([0, 1, 2, 3, 4].map((k) => setPartitions(k).length)).toEqual([1, 1, 2, 5, 15]);
  });
  it('Faa di Bruno for u_xxxx: f4 g1^4 + 6 f3 g1^2 g2 + 3 f2 g2^2 + 4 f2 g1 g3 + f1 g4', () => {
    const t = faaTerms([0, 0, 0, 0])
      .map((x) => `${x.count}*f${x.order}(${x.factors.map((f) => f.length).join(',')})`)
      .sort();
    expect(t).toEqual(['1*f1(4)', '1*f4(1,1,1,1)', '3*f2(2,2)', '4*f2(1,3)', '6*f3(1,1,2)']);
  });
  it('Leibniz for (ab)_xxy has 2^3 = 8 terms merged into 6 distinct ones', () => {
    const t = leibnizTerms([0, 0, 1]);
    expect(t.reduce((s, x) => s + x.count, 0)).toBe(8);
    expect(t.length).toBe(6);
  });
  it('requests close under sub-multisets', () => {
    expect(closeRequests([[0, 0, 1]]).map((r) => r.join(''))).toEqual(['', '0', '1', '00', '01', '001']);
  });
});

describe.each(['tanh', 'sin', 'silu', 'gelu'] as const)('taylor jets on a %s MLP, orders 0-4', (activation) => {
  let net: Network;
  beforeAll(() => {
    net = createMlpNetwork({ inputs: 2, hidden: [8, 6], outputs: 2, activation }, new Rng(21));
  });
  afterAll(() => net.dispose());
  const pts = [
    [0.3, -0.4],
    [-0.8, 0.5],
    [0.1, 0.9],
  ];

  it('match float64 central differences of the float64 forward pass', () => {
    const out = tf.tidy(() => jetDerivatives(net, tf.tensor2d(pts), ORDER4).map((t) => t.arraySync()));
    let worst = 0;
    ORDER4.forEach((r, q) =>
      pts.forEach((p, n) => {
        const fd = fdMulti((y) => forward64(net, y), p, r, fdStep(r.length));
        fd.forEach((v, k) => (worst = Math.max(worst, Math.abs(out[q][n][k] - v) / (1 + Math.abs(v)))));
      }),
    );
    // float32 jets vs Richardson float64 FD (error O(h^4)): measured worst 1.7e-6
    expect(worst).toBeLessThan(1e-5);
  });

  it('equal the nested tf.grad engine to fourth order', () => {
    const x = tf.tensor2d(pts);
    const a = taylorEngine.derivatives(net, x, ORDER4);
    const b = nestedEngine.derivatives(net, x, ORDER4);
    a.forEach((t, q) => {
      const scale = tf.tidy(() => 1 + tf.max(tf.abs(b[q])).dataSync()[0]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[q]))).dataSync()[0]) / scale).toBeLessThan(2e-5);
    });
    tf.dispose([x, ...a, ...b]);
  });
});

describe('jets and the block path agree for plain MLPs up to second order', () => {
  it('taylor engine (blocks) equals jetDerivatives', () => {
    const net = createMlpNetwork({ inputs: 3, hidden: [7, 7], outputs: 1, activation: 'tanh' }, new Rng(3));
    const x = tf.tensor2d([
      [0.1, 0.2, 0.3],
      [-0.5, 0.4, 0.9],
    ]);
    const req: DerivativeIndex[] = [[], [0], [2], [0, 0], [1, 2]];
    const a = taylorEngine.derivatives(net, x, req);
    const b = jetDerivatives(net, x, req);
    a.forEach((t, q) => expect(tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[q]))).dataSync()[0])).toBeLessThan(1e-6));
    tf.dispose([x, ...a, ...b]);
    net.dispose();
  });
});

describe('weight gradients through fourth-order jets', () => {
  it("the weight gradient of mean(u_xxxx^2 + u_xxy^2) equals the nested engine's", () => {
    const net = createMlpNetwork({ inputs: 2, hidden: [6, 5], outputs: 1, activation: 'tanh' }, new Rng(8));
    const x = tf.tensor2d([
      [0.2, -0.1],
      [0.7, 0.3],
      [-0.4, 0.6],
    ]);
    const vars = Object.values(net.params);
    const grads = (e: typeof taylorEngine) =>
      tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => {
          const [a, b] = e.derivatives(net, x, [
            [0, 0, 0, 0],
            [0, 0, 1],
          ]);
          return tf.mean(tf.add(tf.square(a), tf.square(b))) as tf.Scalar;
        }, vars);
        // the output bias does not reach u_xxxx: no gradient is a zero gradient
        return vars.map((v) => (g[v.name] ? Array.from(g[v.name].dataSync()) : new Array<number>(v.size).fill(0)));
      });
    const a = grads(taylorEngine);
    const b = grads(nestedEngine);
    a.forEach((g, i) =>
      g.forEach((v, k) => expect(Math.abs(v - b[i][k])).toBeLessThan(1e-3 * (1 + Math.abs(b[i][k])))),
    );
    x.dispose();
    net.dispose();
  });
});

describe('engine choice and leaks', () => {
  const applyOnly = (): Network => {
    const W = tf.variable(tf.tensor2d([[0.5, -0.3]])); // (1, 2)
    return {
      kind: 'apply-only',
      inputs: 1,
      outputs: 2,
      params: { W },
      apply: (x) => tf.sin(tf.matMul(x, W)) as tf.Tensor2D,
      dispose: () => W.dispose(),
    };
  };

  it('picks taylor for a generic forward, nested for apply only, and says why once', () => {
    const lines: string[] = [];
    const gen = defineNetwork({
      kind: 'my-net',
      inputs: 1,
      outputs: 1,
      params: {},
      forward: (ops, x) => ops.mul(ops.sin(x), x),
    });
    const plain = applyOnly();
    expect(chooseEngine(plain, [[0]], [taylorEngine, nestedEngine]).engine.name).toBe('nested');
    const e = autoEngine({ log: (l) => lines.push(l) });
    const x = tf.tensor2d([[0.7]]);
    // d^3/dx^3 (x sin x) = -3 sin x - x cos x
    const [u3] = e.derivatives(gen, x, [[0, 0, 0]]);
    expect(u3.dataSync()[0]).toBeCloseTo(-3 * Math.sin(0.7) - 0.7 * Math.cos(0.7), 4);
    e.derivatives(gen, x, [[0]]).forEach((t) => t.dispose());
    // sin(0.5 x)'''' = 0.5^4 sin(0.5 x)
    const [v4] = e.derivatives(plain, x, [[0, 0, 0, 0]]);
    expect(v4.dataSync()[0]).toBeCloseTo(0.0625 * Math.sin(0.35), 5);
    expect(lines).toEqual([
      'derivatives: taylor engine',
      'derivatives: nested engine (taylor engine needs a generic forward(ops, x); this apply-only has apply only)',
    ]);
    tf.dispose([x, u3, v4]);
    plain.dispose();
  });

  it('rejects order 5, unsorted indices and a wrong input count, naming the fix', () => {
    const net = createMlpNetwork({ inputs: 2, hidden: [3], outputs: 1, activation: 'tanh' }, new Rng(1));
    const x = tf.tensor2d([[0.1, 0.2]]);
    expect(() => taylorEngine.derivatives(net, x, [[0, 0, 0, 0, 0]])).toThrow(
      "order 5 is above this engine's limit (at most 4 indices)",
    );
    expect(() => taylorEngine.derivatives(net, x, [[1, 0, 0]])).toThrow(
      'write mixed derivatives with ascending indices, i.e. [0, 0, 1]',
    );
    const g = defineNetwork({
      kind: 'g',
      inputs: 3,
      outputs: 1,
      params: {},
      forward: (ops, y) => ops.sliceColumns(y, 0, 1),
    });
    expect(() => taylorEngine.derivatives(g, x, [[0]])).toThrow(
      "taylor engine: network 'g' takes 3 input(s) but x has 2 column(s)",
    );
    x.dispose();
    net.dispose();
  });

  it('a fourth-order jet call leaves no tensors behind', async () => {
    const net = mlpNetwork(createMlpNetwork({ inputs: 2, hidden: [4], outputs: 1, activation: 'sin' }, new Rng(2)).mlp);
    const x = tf.tensor2d([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    await expectNoLeak(() => tf.dispose(taylorEngine.derivatives(net, x, ORDER4)), 'jets');
    await expectNoLeak(() => tf.dispose(nestedEngine.derivatives(net, x, [[0, 1, 1]])), 'nested order 3');
    x.dispose();
    net.dispose();
  });
});

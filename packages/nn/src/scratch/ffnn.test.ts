import { tf, Rng, initBackend } from '@aml/core';
import { fromRows, mat } from './matrix';
import { scratchFfnn, scratchBackprop, scratchCost, scratchFit, scratchPredict, type ScratchFfnnConfig } from './ffnn';
import {
  scratchConstant as constant,
  scratchMomentum as momentum,
  scratchAdagrad as adagrad,
  scratchRmsprop as rmsprop,
  scratchAdam as adam,
  scratchAdagradMomentum,
} from './schedulers';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const X = fromRows([
  [0.1, -0.4, 0.3],
  [0.9, 0.2, -0.5],
  [-0.3, 0.8, 0.7],
  [0.5, 0.5, -0.1],
]);
const targets: Record<string, number[][]> = {
  mse: [
    [0.2, -1],
    [1, 0.3],
    [-0.5, 0.5],
    [0.1, 0.9],
  ],
  bce: [
    [1, 0],
    [0, 1],
    [1, 1],
    [0, 0],
  ],
  ce: [
    [1, 0],
    [0, 1],
    [0, 1],
    [1, 0],
  ],
};
const configs: ScratchFfnnConfig[] = [
  { sizes: [3, 5, 4, 2], hidden: 'tanh', output: 'identity', cost: 'mse' },
  { sizes: [3, 5, 2], hidden: 'sigmoid', output: 'sigmoid', cost: 'bce' },
  { sizes: [3, 6, 2], hidden: 'leakyRelu', output: 'softmax', cost: 'ce' },
  { sizes: [3, 4, 2], hidden: 'relu', output: 'sigmoid', cost: 'mse' },
];

/** The same network and cost written in tfjs ops, differentiated by tfjs. */
function tfjsGrads(cfg: ScratchFfnnConfig, net: ReturnType<typeof scratchFfnn>, T: number[][], lambda: number) {
  const f: Record<string, (z: tf.Tensor) => tf.Tensor> = {
    identity: (z) => z,
    sigmoid: tf.sigmoid,
    tanh: tf.tanh,
    relu: tf.relu,
    leakyRelu: (z) => tf.leakyRelu(z, 0.01),
    softmax: (z) => tf.softmax(z),
  };
  const ws = net.layers.flatMap((L) => [
    tf.tensor(Float32Array.from(L.W.data), [L.W.rows, L.W.cols]),
    tf.tensor(Float32Array.from(L.b)),
  ]);
  const x = tf.tensor(Float32Array.from(X.data), [X.rows, X.cols]);
  const t = tf.tensor(T);
  const cost = (...p: tf.Tensor[]) => {
    let a: tf.Tensor = x;
    for (let l = 0; l < p.length / 2; l++)
      a = f[l === p.length / 2 - 1 ? cfg.output : cfg.hidden](tf.add(tf.matMul(a, p[2 * l]), p[2 * l + 1]));
    const n = X.rows;
    let c: tf.Tensor;
    if (cfg.cost === 'mse') c = tf.div(tf.sum(tf.square(tf.sub(t, a))), n);
    else if (cfg.cost === 'bce')
      c = tf.div(
        tf.neg(
          tf.sum(tf.add(tf.mul(t, tf.log(tf.add(a, 1e-9))), tf.mul(tf.sub(1, t), tf.log(tf.add(tf.sub(1, a), 1e-9))))),
        ),
        n,
      );
    else c = tf.div(tf.neg(tf.sum(tf.mul(t, tf.log(tf.add(a, 1e-9))))), n);
    const reg = p
      .filter((_, i) => i % 2 === 0)
      .reduce((s: tf.Tensor, w) => tf.add(s, tf.sum(tf.square(w))), tf.scalar(0));
    return tf.add(c, tf.mul(0.5 * lambda, reg));
  };
  return tf
    .grads(cost)(ws)
    .map((g) => g.dataSync());
}

describe.each(configs)('from-scratch FFNN %o', (cfg) => {
  const lambda = 0.01;
  const T = fromRows(targets[cfg.cost]);

  it('backprop equals central finite differences (float64, rel. 1e-6)', () => {
    const net = scratchFfnn(cfg, new Rng(3));
    const { dW, db } = scratchBackprop(net, X, T, lambda);
    const h = 1e-6;
    let worst = 0;
    net.layers.forEach((L, l) => {
      for (const [arr, g] of [
        [L.W.data, dW[l].data],
        [L.b, db[l]],
      ] as const) {
        for (let i = 0; i < arr.length; i++) {
          const w = arr[i];
          arr[i] = w + h;
          const up = scratchCost(net, X, T, lambda);
          arr[i] = w - h;
          const dn = scratchCost(net, X, T, lambda);
          arr[i] = w;
          const num = (up - dn) / (2 * h);
          worst = Math.max(worst, Math.abs(num - g[i]) / Math.max(Math.abs(num), 1e-4));
        }
      }
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('backprop equals tfjs autodiff on the same weights (float32, 1e-4)', () => {
    const net = scratchFfnn(cfg, new Rng(4));
    const { dW, db } = scratchBackprop(net, X, T, lambda);
    const ours = dW.flatMap((w, l) => [w.data, db[l]]);
    const theirs = tfjsGrads(cfg, net, targets[cfg.cost], lambda);
    ours.forEach((o, k) =>
      o.forEach((v, i) => expect(Math.abs(v - theirs[k][i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(v)))),
    );
  });
});

describe('from-scratch update rules', () => {
  const g = Float64Array.from([0.5, -2]);
  it('constant and momentum', () => {
    expect(Array.from(constant(0.1)().updateChange(g))).toEqual([0.05, -0.2]);
    const m = momentum(0.1, 0.9)();
    m.updateChange(g);
    expect(m.updateChange(g)[1]).toBeCloseTo(0.9 * -0.2 + -0.2, 12);
  });
  it('adagrad, rmsprop and adam first steps have their closed forms', () => {
    expect(adagrad(0.1)().updateChange(g)[1]).toBeCloseTo(-0.1, 6); // eta g/|g|
    const am = scratchAdagradMomentum(0.1, 0.5)();
    am.updateChange(g); // -0.1 for the second entry
    expect(am.updateChange(g)[1]).toBeCloseTo((0.1 * -2) / Math.sqrt(8) + 0.5 * -0.1, 6);
    expect(rmsprop(0.1, 0.9)().updateChange(g)[0]).toBeCloseTo((0.1 * 0.5) / Math.sqrt(0.1 * 0.25 + 1e-8), 10);
    const a = adam(0.1)();
    expect(a.updateChange(g)[0]).toBeCloseTo(0.1, 6); // bias-corrected m/sqrt(s) = sign(g)
    a.reset(); // clears moments, advances k to 2: m=0.1g/(1-0.81), s=0.001g^2/(1-0.998001)
    const k2 = (0.1 * ((0.1 * 0.5) / 0.19)) / (Math.sqrt((0.001 * 0.25) / (1 - 0.999 ** 2)) + 1e-8);
    expect(a.updateChange(g)[0]).toBeCloseTo(k2, 10);
  });
});

describe('from-scratch training', () => {
  it('learns XOR (course: sigmoid, Adam 0.1) and the loss falls 100x', () => {
    const Xx = fromRows([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const Tx = fromRows([[0], [1], [1], [0]]);
    const net = scratchFfnn({ sizes: [2, 8, 1], hidden: 'tanh', output: 'sigmoid', cost: 'bce' }, new Rng(5));
    const c0 = scratchCost(net, Xx, Tx);
    const hist = scratchFit(net, Xx, Tx, { scheduler: adam(0.1), epochs: 300, rng: new Rng(6) });
    expect(hist[hist.length - 1]).toBeLessThan(c0 / 100);
    expect(Array.from(scratchPredict(net, Xx).data).map((p) => Math.round(p))).toEqual([0, 1, 1, 0]);
  });

  it.each([
    ['momentum', momentum(0.05)],
    ['adagrad', adagrad(0.1)],
    ['adagradMomentum', scratchAdagradMomentum(0.01)],
    ['rmsprop', rmsprop(0.01)],
    ['constant', constant(0.05)],
  ])('regression with %s mini-batches lowers the cost; same seed, same result', (_, sched) => {
    const rng = new Rng(8);
    const Xr = mat(
      32,
      2,
      Array.from({ length: 64 }, () => rng.range(-1, 1)),
    );
    const Tr = mat(
      32,
      1,
      Array.from({ length: 32 }, (_, i) => Xr.data[2 * i] ** 2 - Xr.data[2 * i + 1]),
    );
    const run = () => {
      const net = scratchFfnn({ sizes: [2, 16, 1], hidden: 'tanh', output: 'identity', cost: 'mse' }, new Rng(9));
      const c0 = scratchCost(net, Xr, Tr);
      const h = scratchFit(net, Xr, Tr, { scheduler: sched, epochs: 200, batches: 4, rng: new Rng(10) });
      return { c0, h };
    };
    const a = run(),
      b = run();
    expect(a.h[a.h.length - 1]).toBeLessThan(a.c0 / 5);
    expect(a.h).toEqual(b.h);
  });

  it('rejects a softmax output without cross-entropy', () => {
    expect(() => scratchFfnn({ sizes: [2, 2], hidden: 'tanh', output: 'softmax', cost: 'mse' }, new Rng(1))).toThrow(
      "a softmax output needs cost 'ce', got 'mse'",
    );
  });
});

import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { expectNoLeak } from '../testing/leaks';
import { createOptimizer, type OptimizerConfig } from './create';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

// f(w) = sum(c * w^2), gradient 2 c w: each rule's update written out by hand in float64.
const W0 = [1, -2, 0.5];
const C = [1, 3, 10];
type Ref = (w: number[], g: number[], s: Record<string, number[]>, t: number) => void;

const cases: Array<[string, OptimizerConfig, Ref]> = [
  ['sgd', { name: 'sgd', learningRate: 0.01 }, (w, g) => g.forEach((gi, i) => (w[i] -= 0.01 * gi))],
  [
    'momentum',
    { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
    (w, g, s) =>
      g.forEach((gi, i) => {
        s.b[i] = 0.9 * s.b[i] + gi;
        w[i] -= 0.01 * s.b[i];
      }),
  ],
  [
    'nesterov',
    { name: 'momentum', learningRate: 0.01, momentum: 0.9, nesterov: true },
    (w, g, s) =>
      g.forEach((gi, i) => {
        s.b[i] = 0.9 * s.b[i] + gi;
        w[i] -= 0.01 * (gi + 0.9 * s.b[i]);
      }),
  ],
  [
    'adagrad',
    { name: 'adagrad', learningRate: 0.1, initialAccumulator: 0.1 },
    (w, g, s) =>
      g.forEach((gi, i) => {
        s.a[i] = (s.a[i] ?? 0.1) + gi * gi;
        w[i] -= (0.1 * gi) / (Math.sqrt(s.a[i]) + 1e-10);
      }),
  ],
  [
    'rmsprop',
    { name: 'rmsprop', learningRate: 0.01, rho: 0.8 },
    (w, g, s) =>
      g.forEach((gi, i) => {
        s.v[i] = 0.8 * s.v[i] + 0.2 * gi * gi;
        w[i] -= (0.01 * gi) / (Math.sqrt(s.v[i]) + 1e-8);
      }),
  ],
  [
    'adam',
    { name: 'adam', learningRate: 0.1, beta1: 0.8, beta2: 0.99 },
    (w, g, s, t) =>
      g.forEach((gi, i) => {
        s.m[i] = 0.8 * s.m[i] + 0.2 * gi;
        s.v[i] = 0.99 * s.v[i] + 0.01 * gi * gi;
        w[i] -= (0.1 * s.m[i]) / (1 - 0.8 ** t) / (Math.sqrt(s.v[i] / (1 - 0.99 ** t)) + 1e-8);
      }),
  ],
  [
    'adamw',
    { name: 'adamw', learningRate: 0.1, weightDecay: 0.5 },
    (w, g, s, t) =>
      g.forEach((gi, i) => {
        w[i] *= 1 - 0.1 * 0.5;
        s.m[i] = 0.9 * s.m[i] + 0.1 * gi;
        s.v[i] = 0.999 * s.v[i] + 0.001 * gi * gi;
        w[i] -= (0.1 * s.m[i]) / (1 - 0.9 ** t) / (Math.sqrt(s.v[i] / (1 - 0.999 ** t)) + 1e-8);
      }),
  ],
];

describe.each(cases)('%s', (_label, config, ref) => {
  it('matches the hand-written update for 4 steps', () => {
    const w = tf.variable(tf.tensor1d(W0));
    const c = tf.tensor1d(C);
    const opt = createOptimizer(config);
    const wr = [...W0];
    const s: Record<string, number[]> = { b: [0, 0, 0], m: [0, 0, 0], v: [0, 0, 0], a: [] };
    for (let t = 1; t <= 4; t++) {
      const lossRef = wr.reduce((acc, x, i) => acc + C[i] * x * x, 0);
      const loss = opt.minimize(() => c.mul(w.square()).sum() as tf.Scalar, [w]);
      expect(loss).toBeCloseTo(lossRef, 4);
      ref(
        wr,
        wr.map((x, i) => 2 * C[i] * x),
        s,
        t,
      );
      Array.from(w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(wr[i], 5));
    }
    opt.dispose();
    w.dispose();
    c.dispose();
  });

  it('state is plain JSON, resumes identically in a fresh optimizer, and steps leak nothing', async () => {
    const f = (w: tf.Variable) => () => w.sub(3).square().sum() as tf.Scalar;
    const wa = tf.variable(
      tf.tensor2d([
        [0, 1],
        [2, -1],
      ]),
    );
    const a = createOptimizer(config);
    for (let i = 0; i < 3; i++) a.minimize(f(wa), [wa]);
    const st = a.getState();
    expect(JSON.parse(JSON.stringify(st))).toEqual(st);
    expect(st.step).toBe(3);
    const wb = tf.variable(wa.clone());
    const b = createOptimizer(config);
    b.setState(JSON.parse(JSON.stringify(st)));
    await expectNoLeak(
      () => {
        for (let i = 0; i < 3; i++) {
          a.minimize(f(wa), [wa]);
          b.minimize(f(wb), [wb]);
        }
      },
      `${config.name} steps`,
      Object.keys(st.slots[0] ?? {}).length /* b's slots are made on its first step */,
    );
    expect(Array.from(wb.dataSync())).toEqual(Array.from(wa.dataSync()));
    a.dispose();
    b.dispose();
    wa.dispose();
    wb.dispose();
  });
});

describe('createOptimizer', () => {
  it.each([
    [{ name: 'adm' }, 'name must be one of sgd, momentum, adagrad, rmsprop, adam, adamw, lbfgs, got "adm"'],
    [{ name: 'lbfgs', memory: 0 }, 'memory must be a positive integer, got 0'],
    [{ name: 'sgd', learningRate: -2 }, 'learningRate must be a finite number > 0, got -2'],
    [{ name: 'momentum', momentum: 1.5 }, 'momentum must be in [0, 1), got 1.5'],
    [{ name: 'adamw', weightDecay: -1 }, 'weightDecay must be a finite number >= 0, got -1'],
    [{ name: 'adam', lr: 1 }, 'Unrecognized key: "lr"'],
  ])('rejects %j', (cfg, msg) => {
    expect(() => createOptimizer(cfg as never)).toThrow(msg);
  });

  it('builds L-BFGS from config data', () => {
    const o = createOptimizer({ name: 'lbfgs', memory: 5, lineSearch: { c2: 0.5 } });
    expect(o.name).toBe('lbfgs');
    const w = tf.variable(tf.tensor1d([2, -1]));
    for (let i = 0; i < 3; i++) o.minimize(() => w.square().sum() as tf.Scalar, [w]);
    Array.from(w.dataSync()).forEach((x) => expect(Math.abs(x)).toBeLessThan(1e-6));
    w.dispose();
  });

  it('a variable without a gradient is left alone', () => {
    const a = tf.variable(tf.scalar(1)),
      b = tf.variable(tf.scalar(5));
    const opt = createOptimizer({ name: 'sgd', learningRate: 0.5 });
    opt.minimize(() => a.square() as tf.Scalar, [a, b]);
    expect(a.dataSync()[0]).toBeCloseTo(0, 6);
    expect(b.dataSync()[0]).toBe(5);
    tf.dispose([a, b]);
    opt.dispose();
  });

  it('with slots (Adam), a variable without a gradient keeps its weights and zero slots while the others move', () => {
    const a = tf.variable(tf.tensor1d([1, 2])),
      b = tf.variable(tf.tensor2d([[5, 6]])),
      c = tf.variable(tf.scalar(-1));
    const opt = createOptimizer({ name: 'adam', learningRate: 0.1 });
    for (let i = 0; i < 3; i++) opt.minimize(() => a.square().sum().add(c.square()) as tf.Scalar, [a, b, c]);
    expect(Array.from(b.dataSync())).toEqual([5, 6]);
    const st = opt.getState();
    expect(st.slots[1].m.values).toEqual([0, 0]);
    expect(st.slots[1].v.shape).toEqual([1, 2]);
    // the others took three Adam steps of about lr each towards 0
    Array.from(a.dataSync()).forEach((x, i) => expect(x).toBeCloseTo([1, 2][i] - 0.3, 2));
    expect(c.dataSync()[0]).toBeCloseTo(-0.7, 2);
    tf.dispose([a, b, c]);
    opt.dispose();
  });
});

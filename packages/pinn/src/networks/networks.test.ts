import { expectNoLeak, initBackend, Rng, tensorOps, tf, type Network } from '@aml/core';
import type { DerivativeIndex } from '../derivatives/engine';
import { createMlp, disposeMlp } from '../derivatives/mlp';
import { nestedEngine } from '../derivatives/nested';
import { taylorEngine } from '../derivatives/taylor';
import { createNetwork, type NetworkSpec } from './create';
import { createDense } from './factorized';
import { fourierEmbedding } from './fourier';
import { gate } from './modified-mlp';
import { periodicEmbedding } from './periodic';
import { fdMulti, fdStep, forward64 } from './testing';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const shape = { inputs: 2, outputs: 1, inputNames: ['x', 't'] };
const REQ: DerivativeIndex[] = [[], [0], [1], [0, 0], [0, 1], [0, 0, 0], [0, 1, 1], [0, 0, 0, 0], [0, 0, 1, 1]];
const SPECS: [string, NetworkSpec][] = [
  ['fourier mlp', { hidden: [8, 8], fourier: { sigma: 1, features: 8 } }],
  ['periodic mlp', { hidden: [8, 8], periodic: { x: 2 } }],
  ['factorized mlp', { hidden: [8, 8], factorized: { mu: 0.5, sigma: 0.1 } }],
  ['modified mlp', { kind: 'modified-mlp', hidden: [8, 8, 8] }],
  ['pirate (alpha = 0.6)', { kind: 'pirate', hidden: [6, 6], fourier: { sigma: 1, features: 8 } }],
  [
    'everything',
    {
      kind: 'modified-mlp',
      hidden: [6, 6],
      activation: 'sin',
      periodic: { x: 2 },
      fourier: { sigma: 1, features: 6 },
      factorized: {},
    },
  ],
];

describe.each(SPECS)('%s: input derivatives to fourth order', (_name, spec) => {
  let net: Network;
  beforeAll(() => {
    net = createNetwork(spec, shape, new Rng(17));
    // Switch the PirateNet blocks on so their derivatives are checked too.
    for (const [k, v] of Object.entries(net.params)) if (k.startsWith('alpha')) v.assign(tf.scalar(0.6));
  });
  afterAll(() => net.dispose());
  const pts = [
    [0.2, -0.3],
    [-0.7, 0.6],
  ];

  it('taylor jets match float64 central differences of a float64 forward pass', () => {
    const out = tf.tidy(() => taylorEngine.derivatives(net, tf.tensor2d(pts), REQ).map((t) => t.arraySync()));
    let worst = 0;
    REQ.forEach((r, q) =>
      pts.forEach((p, n) => {
        const fd = fdMulti((y) => forward64(net, y), p, r, fdStep(r.length));
        worst = Math.max(worst, Math.abs(out[q][n][0] - fd[0]) / (1 + Math.abs(fd[0])));
      }),
    );
    // float32 jets vs Richardson float64 FD: measured worst 3.1e-5 (periodic: pi^4 scales u_xxxx), others ~2e-6
    expect(worst).toBeLessThan(1e-4);
  });

  it('taylor jets equal the nested engine', () => {
    const x = tf.tensor2d(pts);
    const a = taylorEngine.derivatives(net, x, REQ);
    const b = nestedEngine.derivatives(net, x, REQ);
    a.forEach((t, q) => {
      const scale = tf.tidy(() => 1 + tf.max(tf.abs(b[q])).dataSync()[0]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[q]))).dataSync()[0]) / scale).toBeLessThan(5e-5);
    });
    tf.dispose([x, ...a, ...b]);
  });

  it('a training step through the jets leaves no tensors behind', async () => {
    const x = tf.tensor2d(pts);
    const vars = Object.values(net.params).filter((v) => v.trainable);
    await expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => {
        const [u, ut, uxx] = taylorEngine.derivatives(net, x, [[], [1], [0, 0]]);
        return tf.mean(tf.square(tf.sub(tf.add(ut, tf.mul(u, u)), uxx))) as tf.Scalar;
      }, vars);
      tf.dispose([value, ...Object.values(grads)]);
    }, 'step');
    x.dispose();
  });
});

describe('unit values from the papers', () => {
  it('Fourier features: B = [[1, 2]], x = 0.5 -> [cos .5, cos 1, sin .5, sin 1]', () => {
    const B = tf.variable(tf.tensor2d([[1, 2]]));
    const y = tf.tidy(() => Array.from(fourierEmbedding(tensorOps, tf.tensor2d([[0.5]]), B).dataSync()));
    [0.877583, 0.540302, 0.479426, 0.841471].forEach((v, i) => expect(Math.abs(y[i] - v)).toBeLessThan(1e-6));
    B.dispose();
  });

  it('Fourier B has std sigma (10^4 entries, sigma = 2: 2 +- 0.05), trainable unless frozen', () => {
    const net = createNetwork(
      { hidden: [4], fourier: { sigma: 2, features: 10000 } },
      { inputs: 2, outputs: 1 },
      new Rng(5),
    );
    const b = Array.from(net.params.B.dataSync());
    const mean = b.reduce((s, v) => s + v, 0) / b.length;
    const std = Math.sqrt(b.reduce((s, v) => s + (v - mean) ** 2, 0) / b.length);
    expect(Math.abs(std - 2)).toBeLessThan(0.05);
    expect(net.params.B.trainable).toBe(true);
    net.dispose();
    const frozen = createNetwork(
      { hidden: [4], fourier: { sigma: 2, features: 4, trainable: false } },
      { inputs: 2, outputs: 1 },
      new Rng(5),
    );
    expect(frozen.params.B.trainable).toBe(false);
    frozen.dispose();
  });

  it('Fourier sigma per input: {t: 10, x: 0.5} with periodic x gives rows of std 10 (t) and 0.5 (cos x, sin x)', () => {
    const net = createNetwork(
      { hidden: [4], periodic: { x: 2 }, fourier: { sigma: { t: 10, x: 0.5 }, features: 8000 } },
      { inputs: 2, outputs: 1, inputNames: ['t', 'x'] },
      new Rng(5),
    );
    const B = net.params.B.arraySync() as number[][]; // rows: t, cos x, sin x
    const std = (row: number[]) => Math.sqrt(row.reduce((s, v) => s + v * v, 0) / row.length);
    expect(B.length).toBe(3);
    expect(Math.abs(std(B[0]) - 10)).toBeLessThan(0.35);
    expect(Math.abs(std(B[1]) - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(std(B[2]) - 0.5)).toBeLessThan(0.02);
    net.dispose();
  });

  it('periodic embedding: period 2 on x, [t, x] = [0.3, 0.25] -> [0.3, 0.707107, 0.707107]', () => {
    const y = tf.tidy(() =>
      Array.from(periodicEmbedding(tensorOps, tf.tensor2d([[0.3, 0.25]]), 2, [{ index: 1, period: 2 }]).dataSync()),
    );
    [0.3, 0.707107, 0.707107].forEach((v, i) => expect(Math.abs(y[i] - v)).toBeLessThan(1e-6));
  });

  it('a periodic network has equal u and u_x at both ends of the period', () => {
    const net = createNetwork(
      { kind: 'modified-mlp', hidden: [16, 16], periodic: { x: 2 }, fourier: { sigma: 1, features: 16 } },
      shape,
      new Rng(3),
    );
    const x = tf.tensor2d([
      [-1, 0.1],
      [1, 0.1],
      [-1, 0.8],
      [1, 0.8],
    ]);
    const [u, ux] = taylorEngine.derivatives(net, x, [[], [0]]).map((t) => t.dataSync());
    expect(Math.abs(u[0] - u[1])).toBeLessThan(1e-6);
    expect(Math.abs(u[2] - u[3])).toBeLessThan(1e-6);
    expect(Math.abs(ux[0] - ux[1])).toBeLessThan(1e-5);
    expect(Math.abs(ux[2] - ux[3])).toBeLessThan(1e-5);
    x.dispose();
    net.dispose();
  });

  it('modified MLP gate: z U + (1 - z) V with U = 0.2, V = 0.8 gives 0.5 at z = 0.5, 0.65 at z = 0.25', () => {
    const y = tf.tidy(() => {
      const [U, V] = [tf.fill([2, 1], 0.2) as tf.Tensor2D, tf.fill([2, 1], 0.8) as tf.Tensor2D];
      return Array.from(gate(tensorOps, tf.tensor2d([[0.5], [0.25]]), V, tf.sub(U, V) as tf.Tensor2D).dataSync());
    });
    expect(y[0]).toBeCloseTo(0.5, 6);
    expect(y[1]).toBeCloseTo(0.65, 6);
  });

  it('RWF: g * V reproduces the Glorot W0 of the same draws (< 1e-6), mean log g = mu +- 0.005', () => {
    const plain: Record<string, tf.Variable> = {};
    const fact: Record<string, tf.Variable> = {};
    const a = createDense(plain, 'W', 'b', 3, 10000, new Rng(9));
    const b = createDense(fact, 'W', 'b', 3, 10000, new Rng(9), { mu: 1, sigma: 0.1 });
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a.kernel(), b.kernel()))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    const logG = Array.from(fact.W_g.dataSync(), Math.log);
    expect(Math.abs(logG.reduce((s, v) => s + v, 0) / logG.length - 1)).toBeLessThan(0.005);
    expect(Object.keys(fact).sort()).toEqual(['W_g', 'W_v', 'b']);
    tf.dispose([...Object.values(plain), ...Object.values(fact)]);
  });

  it('PirateNet with alpha = 0 ignores its block weights exactly, and du/dalpha != 0', () => {
    const net = createNetwork(
      { kind: 'pirate', hidden: [8, 8], fourier: { sigma: 1, features: 8 } },
      shape,
      new Rng(4),
    );
    const x = tf.tensor2d([
      [0.1, 0.2],
      [0.5, -0.4],
    ]);
    const u0 = tf.tidy(() => Array.from(net.apply(x).dataSync()));
    net.params.block0_W2.assign(tf.randomNormal(net.params.block0_W2.shape, 0, 3, 'float32', 1));
    net.params.block1_b1.assign(tf.fill(net.params.block1_b1.shape, 0.7));
    const u1 = tf.tidy(() => Array.from(net.apply(x).dataSync()));
    expect(u1).toEqual(u0);
    const g = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(net.apply(x)) as tf.Scalar, [net.params.alpha0]);
      return grads[net.params.alpha0.name].dataSync()[0];
    });
    expect(Math.abs(g)).toBeGreaterThan(1e-4);
    x.dispose();
    net.dispose();
  });

  it("a plain spec is today's MLP: kind mlp, names W0, b0, ..., the same draws as createMlp", () => {
    const net = createNetwork({ hidden: [5, 5], activation: 'sin' }, shape, new Rng(12));
    const old = createMlp({ inputs: 2, hidden: [5, 5], outputs: 1, activation: 'sin' }, new Rng(12));
    expect(net.kind).toBe('mlp');
    expect(Object.keys(net.params)).toEqual(['W0', 'b0', 'W1', 'b1', 'W2', 'b2']);
    expect(Array.from(net.params.W1.dataSync())).toEqual(Array.from(old.weights[1].dataSync()));
    net.dispose();
    disposeMlp(old);
  });

  it('bad specs name the field', () => {
    const r = new Rng(0);
    expect(() => createNetwork({ kind: 'resnet' as never, hidden: [4] }, shape, r)).toThrow(
      'network.kind: unknown kind "resnet"; use one of mlp, modified-mlp, pirate',
    );
    expect(() => createNetwork({ hidden: [4], fourier: { sigma: -1 } }, shape, r)).toThrow(
      'network.fourier.sigma must be a finite number > 0, got -1',
    );
    expect(() => createNetwork({ hidden: [4], fourier: { sigma: { x: 1, s: 2 } } }, shape, r)).toThrow(
      'network.fourier.sigma.s: no input named s; inputs are x, t',
    );
    expect(() => createNetwork({ hidden: [4], fourier: { sigma: { x: 1 } } }, shape, r)).toThrow(
      'network.fourier.sigma: give a sigma for every input (missing t), or one number for all',
    );
    expect(() => createNetwork({ hidden: [4], fourier: { sigma: 1, features: 7 } }, shape, r)).toThrow(
      'network.fourier.features must be an even integer',
    );
    expect(() => createNetwork({ hidden: [4], periodic: { y: 2 } }, shape, r)).toThrow(
      'network.periodic.y: no input named y; inputs are x, t',
    );
    expect(() => createNetwork({ kind: 'modified-mlp', hidden: [4, 5] }, shape, r)).toThrow(
      'network.hidden: a modified-mlp needs equal widths',
    );
  });
});

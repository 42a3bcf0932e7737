import { adam, expectNoLeak, initBackend, networkVariables, Rng, tf, type Network } from '@aml/core';
import { taylorEngine } from '../derivatives/taylor';
import { definePde, interval, solve, timeDomain, trialSolution } from '../index';
import type { MlpParams } from '../derivatives/engine';
import { createNetwork, type NetworkSpec } from '../networks/create';
import { fusedEngine } from './engine';
import { FUSED_ACTIVATIONS, planChannels, type FusedActivation } from './plan';
import { referenceBackward, referenceForward } from './reference';
import { loadRuntime } from './runtime';
import { randomNet, randomPoints, relErr } from './testing';

const ACTS = Object.keys(FUSED_ACTIVATIONS) as FusedActivation[];

function toVars(
  sizes: number[],
  act: FusedActivation,
  seed: number,
): { net: MlpParams; f64: ReturnType<typeof randomNet>['f64'] } {
  const { f32, f64 } = randomNet(sizes, act, seed);
  const weights = f32.weights.map((w, l) => tf.variable(tf.tensor2d(w, [sizes[l], sizes[l + 1]])));
  const biases = f32.biases.map((b) => tf.variable(tf.tensor1d(b)));
  return { net: { weights, biases, activation: act }, f64 };
}

function dispose(net: MlpParams): void {
  [...net.weights, ...net.biases].forEach((v) => v.dispose());
}

/** Loss = sum_r <c_r, field_r> with fixed random c_r: its gradients are the reverse pass with dy_r = c_r. */
function linearLoss(fields: tf.Tensor2D[], coef: tf.Tensor2D[]): tf.Scalar {
  return tf.addN(fields.map((f, r) => tf.sum(tf.mul(f, coef[r])))) as tf.Scalar;
}

describe('fused engine on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('runs the kernel here (relaxed SIMD where the runtime validates it)', () => {
    const e = fusedEngine();
    expect(e.unavailable).toBeNull();
    expect(['relaxed', 'simd']).toContain(e.build);
  });

  describe.each(ACTS)('%s', (act) => {
    it.each([
      { sizes: [1, 6, 1], requests: [[], [0], [0, 0]] },
      { sizes: [2, 10, 7, 1], requests: [[], [1], [0], [0, 0]] },
      { sizes: [3, 5, 9, 2], requests: [[0, 2], [], [1, 1]] },
    ])('$sizes: fields and weight/input gradients equal the float64 reference (rel 1e-5)', ({ sizes, requests }) => {
      const n = 21;
      const { net, f64 } = toVars(sizes, act, 7);
      const xs = randomPoints(n, sizes[0], 9);
      const m = sizes[sizes.length - 1];
      const x = tf.tensor2d(xs, [n, sizes[0]]);
      const coefs = requests.map((_, r) => tf.tensor2d(randomPoints(n, m, 100 + r), [n, m]));
      expect(fusedEngine().fallbackReason(net, x)).toBeNull(); // the kernel, not the tfjs-ops path, runs
      const eng = fusedEngine();
      const fields = eng.derivatives(net, x, requests);
      expect(eng.lastEngine()).toBe('fused');
      const plan = planChannels(requests);
      const want = referenceForward(f64, xs, n, plan);
      fields.forEach((f, r) => expect(relErr(f.dataSync(), want[plan.channelOf[r]])).toBeLessThan(1e-5));
      const vars = [...net.weights, ...net.biases];
      const { grads } = tf.variableGrads(() => linearLoss(fusedEngine().derivatives(net, x, requests), coefs), vars);
      const gx = tf.grad((xx: tf.Tensor) =>
        linearLoss(fusedEngine().derivatives(net, xx as tf.Tensor2D, requests), coefs),
      )(x);
      // Reference: dy per channel is the sum of the coefficients of the requests on it.
      const dys: (Float64Array | null)[] = new Array(plan.channels).fill(null);
      requests.forEach((_, r) => {
        const c = plan.channelOf[r];
        const cr = coefs[r].dataSync();
        dys[c] = dys[c] ?? new Float64Array(n * m);
        for (let i = 0; i < n * m; i++) dys[c]![i] += cr[i];
      });
      const ref = referenceBackward(f64, xs, n, plan, dys);
      net.weights.forEach((w, l) => expect(relErr(grads[w.name].dataSync(), ref.gradW[l])).toBeLessThan(1e-5));
      net.biases.forEach((b, l) => expect(relErr(grads[b.name].dataSync(), ref.gradB[l])).toBeLessThan(1e-5));
      expect(relErr(gx.dataSync(), ref.xbar)).toBeLessThan(1e-5);
      tf.dispose([x, ...coefs, ...fields, ...Object.values(grads), gx]);
      dispose(net);
    });
  });

  it('equals the tfjs-ops (taylor) path: fields and gradients of a nonlinear residual loss', () => {
    const sizes = [2, 13, 13, 1];
    const { net } = toVars(sizes, 'tanh', 3);
    const x = tf.tensor2d(randomPoints(50, 2, 4), [50, 2]);
    const req = [[], [1], [0], [0, 0]];
    const burgers = (e: { derivatives: typeof taylorEngine.derivatives }) => () => {
      const [u, ut, ux, uxx] = e.derivatives(net, x, req);
      return tf.mean(tf.square(tf.sub(tf.add(ut, tf.mul(u, ux)), tf.mul(0.01 / Math.PI, uxx)))) as tf.Scalar;
    };
    const vars = [...net.weights, ...net.biases];
    const a = tf.variableGrads(burgers(fusedEngine()), vars);
    const b = tf.variableGrads(burgers(taylorEngine), vars);
    expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(
      1e-5 * Math.abs(b.value.dataSync()[0]),
    );
    for (const v of vars) expect(relErr(a.grads[v.name].dataSync(), b.grads[v.name].dataSync())).toBeLessThan(2e-5);
    tf.dispose([x, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    dispose(net);
  });

  it('an Adam training step leaks no tensors and no tapes', async () => {
    const { net } = toVars([2, 12, 12, 1], 'sin', 5);
    const x = tf.tensor2d(randomPoints(40, 2, 6), [40, 2]);
    const engine = fusedEngine();
    const opt = adam({ learningRate: 1e-3 });
    const vars = [...net.weights, ...net.biases];
    const loss = () =>
      tf.tidy(() => {
        const [u, ux, uxx] = engine.derivatives(net, x, [[], [0], [0, 0]]);
        return tf.mean(tf.square(tf.add(uxx, tf.mul(u, ux)))) as tf.Scalar;
      });
    opt.minimize(loss, vars); // creates Adam's slots
    await expectNoLeak(() => opt.minimize(loss, vars), 'fused Adam step');
    expect(loadRuntime(engine.build!).liveTapes).toBe(0);
    // Forward without a gradient tape keeps no tape either.
    tf.tidy(() => engine.derivatives(net, x, [[], [0]]));
    expect(loadRuntime(engine.build!).liveTapes).toBe(0);
    opt.dispose();
    x.dispose();
    dispose(net);
  });

  it('same seed and thread count give identical results; 1 and 2 threads agree to float tolerance', () => {
    const run = (threads: number) => {
      const { net } = toVars([2, 20, 20, 1], 'tanh', 8);
      const x = tf.tensor2d(randomPoints(300, 2, 8), [300, 2]);
      const vars = [...net.weights, ...net.biases];
      const e = fusedEngine({ threads, blockSize: 16 });
      const { value, grads } = tf.variableGrads(
        () =>
          tf.tidy(() => {
            const [u, uxx] = e.derivatives(net, x, [[], [0, 0]]);
            return tf.sum(tf.square(tf.add(u, uxx))) as tf.Scalar;
          }),
        vars,
      );
      const out = [value.dataSync()[0], ...vars.flatMap((v) => Array.from(grads[v.name].dataSync()))];
      tf.dispose([x, value, ...Object.values(grads)]);
      dispose(net);
      return out;
    };
    const one = run(1);
    expect(run(1)).toEqual(one);
    const two = run(2);
    expect(run(2)).toEqual(two);
    expect(relErr(two, one)).toBeLessThan(1e-6);
  });

  it('falls back to the tfjs-ops path with one notice for what the kernel does not take', () => {
    const lines: string[] = [];
    const e = fusedEngine({ log: (l) => lines.push(l) });
    expect(e.lastEngine()).toBeNull();
    const { net } = toVars([5, 6, 1], 'tanh', 1);
    const x = tf.tensor2d(randomPoints(4, 5, 1), [4, 5]);
    const got = e.derivatives(net, x, [[], [4]]);
    expect(e.lastEngine()).toBe('taylor'); // what metrics report as the engine that ran
    const want = taylorEngine.derivatives(net, x, [[], [4]]);
    got.forEach((g, r) => expect(relErr(g.dataSync(), want[r].dataSync())).toBeLessThan(1e-6));
    e.derivatives(net, x, [[]]).forEach((t) => t.dispose());
    expect(lines).toEqual(['derivatives: taylor engine (5 inputs (the kernel takes 1..4))']);
    const relu = { ...net, activation: 'relu' as const };
    expect(e.fallbackReason(relu, x)).toMatch(/activation 'relu' is not in the kernel/);
    tf.dispose([x, ...got, ...want]);
    dispose(net);
  });

  it('rejects bad options, naming the field', () => {
    expect(() => fusedEngine({ blockSize: 12 })).toThrow(/blockSize/);
    expect(() => fusedEngine({ threads: 0 } as never)).toThrow(/threads/);
    expect(() => fusedEngine({ thread: 2 } as never)).toThrow(/thread/);
  });
});

describe('fused engine on cpu', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', quiet: true });
  });
  afterAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it("gives the kernel's numbers through tfjs ops, with a notice, and the caller does not branch", () => {
    const lines: string[] = [];
    const { net, f64 } = toVars([2, 9, 9, 1], 'softplus', 2);
    const xs = randomPoints(15, 2, 3);
    const x = tf.tensor2d(xs, [15, 2]);
    const req = [[], [0], [0, 1], [1, 1]];
    const fields = fusedEngine({ log: (l) => lines.push(l) }).derivatives(net, x, req);
    const plan = planChannels(req);
    const want = referenceForward(f64, xs, 15, plan);
    fields.forEach((f, r) => expect(relErr(f.dataSync(), want[plan.channelOf[r]])).toBeLessThan(1e-5));
    expect(lines).toEqual(["derivatives: taylor engine (backend 'cpu' has no fused kernel (it runs on 'wasm'))"]);
    tf.dispose([x, ...fields]);
    dispose(net);
  });
});

describe('fused engine inside the PINN solver (Adam then L-BFGS, unchanged)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  it('trains the heat equation to the same losses as the taylor engine', async () => {
    const problem = definePde({
      geometry: timeDomain(interval(0, 1), 0, 1),
      equation: 'u_t - u_xx',
      constraint: trialSolution('(1-t)*sin(pi*x)', 'x*(1-x)*t'),
    });
    const run = async (engine: typeof taylorEngine) => {
      const r = await solve(problem, {
        network: { hidden: [8, 8], activation: 'tanh' },
        points: { domain: 64 },
        adam: { steps: 15, learningRate: 2e-3 },
        lbfgs: { steps: 5 },
        seed: 3,
        engine,
      });
      r.model.dispose();
      return r.history.loss;
    };
    const notices: string[] = [];
    const fused = await run(fusedEngine({ log: (l) => notices.push(l) }));
    expect(notices).toEqual([]); // the kernel ran every call (no fallback)
    const ops = await run(taylorEngine);
    expect(fused.length).toBe(ops.length);
    expect(fused.length).toBeGreaterThan(15);
    fused.forEach((l, i) => expect(Math.abs(l - ops[i])).toBeLessThan(1e-3 * Math.abs(ops[i]) + 1e-7));
    expect(fused[fused.length - 1]).toBeLessThan(fused[0]);
  });
});

describe('fused engine on an MLP behind periodic and Fourier embeddings, weight-factorized', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
  });

  /** The benchmarks' Allen-Cahn network, small: periodic x (period 2), trainable Fourier B, RWF. */
  const spec: NetworkSpec = {
    kind: 'mlp',
    hidden: [12, 10],
    activation: 'tanh',
    periodic: { x: 2 },
    fourier: { sigma: 1, features: 14 },
    factorized: { mu: 1, sigma: 0.1 },
  };
  function makeNet(seed: number): Network {
    const net = createNetwork(spec, { inputs: 2, outputs: 1, inputNames: ['x', 't'] }, new Rng(seed));
    // Non-zero biases, so every term of the forward rules is exercised.
    const rng = new Rng(seed + 100);
    for (const [name, v] of Object.entries(net.params)) {
      if (name.startsWith('b')) tf.tidy(() => v.assign(tf.tensor1d(rng.normalArray(v.shape[0], 0, 0.1))));
    }
    return net;
  }
  const REQ = [[], [0], [1], [0, 0], [0, 1]]; // u, u_x, u_t, u_xx, u_xt
  /** A nonlinear residual of all five fields. */
  const residual = (e: { derivatives: typeof taylorEngine.derivatives }, net: Network, x: tf.Tensor2D) => () =>
    tf.tidy(() => {
      const [u, ux, ut, uxx, uxt] = e.derivatives(net, x, REQ);
      const r = tf.add(tf.sub(tf.add(ut, tf.mul(u, ux)), tf.mul(0.05, uxx)), tf.mul(0.3, uxt));
      return tf.mean(tf.square(r)) as tf.Scalar;
    });

  it('runs in the kernel: fields and the gradients of every parameter (B, g, V, biases) equal the taylor engine', () => {
    const net = makeNet(4);
    const x = tf.tensor2d(randomPoints(70, 2, 5), [70, 2]);
    const eng = fusedEngine();
    expect(eng.fallbackReason(net, x)).toBeNull();
    expect(eng.supports?.(net, REQ)).toBe(true);
    const got = eng.derivatives(net, x, REQ);
    expect(eng.lastEngine()).toBe('fused');
    const want = taylorEngine.derivatives(net, x, REQ);
    got.forEach((g, r) => {
      expect(g.shape).toEqual([70, 1]);
      expect(relErr(g.dataSync(), want[r].dataSync())).toBeLessThan(2e-5);
    });
    const vars = networkVariables(net);
    expect(Object.keys(net.params).sort()).toEqual([
      'B',
      'W0_g',
      'W0_v',
      'W1_g',
      'W1_v',
      'W2_g',
      'W2_v',
      'b0',
      'b1',
      'b2',
    ]);
    expect(vars.length).toBe(10); // B is trainable
    const a = tf.variableGrads(residual(eng, net, x), vars);
    const b = tf.variableGrads(residual(taylorEngine, net, x), vars);
    expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(1e-5 * b.value.dataSync()[0]);
    for (const v of vars) {
      const gb = b.grads[v.name].dataSync();
      expect(Math.max(...Array.from(gb, Math.abs))).toBeGreaterThan(0); // every parameter gets a gradient
      expect(relErr(a.grads[v.name].dataSync(), gb)).toBeLessThan(1e-4);
    }
    tf.dispose([x, ...got, ...want, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    net.dispose();
  });

  it.each<[string, Partial<NetworkSpec>]>([
    ['periodic only', { fourier: undefined, factorized: undefined }],
    [
      'Fourier features only, B frozen',
      { periodic: undefined, factorized: undefined, fourier: { sigma: 2, features: 10, trainable: false } },
    ],
    ['factorized only', { periodic: undefined, fourier: undefined }],
    ['periodic t and x, sin body', { periodic: { x: 2, t: 3 }, activation: 'sin' }],
  ])('%s: runs in the kernel, fields and gradients equal the taylor engine', (_name, change) => {
    const net = createNetwork({ ...spec, ...change }, { inputs: 2, outputs: 1, inputNames: ['x', 't'] }, new Rng(12));
    const x = tf.tensor2d(randomPoints(33, 2, 13), [33, 2]);
    const eng = fusedEngine();
    const got = eng.derivatives(net, x, REQ);
    expect(eng.lastEngine()).toBe('fused');
    const want = taylorEngine.derivatives(net, x, REQ);
    got.forEach((g, r) => expect(relErr(g.dataSync(), want[r].dataSync())).toBeLessThan(2e-5));
    const vars = networkVariables(net);
    const a = tf.variableGrads(residual(eng, net, x), vars);
    const b = tf.variableGrads(residual(taylorEngine, net, x), vars);
    for (const v of vars) expect(relErr(a.grads[v.name].dataSync(), b.grads[v.name].dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, ...got, ...want, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    net.dispose();
  });

  it('same seed and thread count give identical results; 1 and 2 threads agree to float tolerance', () => {
    const run = (threads: number) => {
      const net = makeNet(6);
      const x = tf.tensor2d(randomPoints(300, 2, 7), [300, 2]);
      const vars = networkVariables(net);
      const { value, grads } = tf.variableGrads(residual(fusedEngine({ threads, blockSize: 16 }), net, x), vars);
      const out = [value.dataSync()[0], ...vars.flatMap((v) => Array.from(grads[v.name].dataSync()))];
      tf.dispose([x, value, ...Object.values(grads)]);
      net.dispose();
      return out;
    };
    const one = run(1);
    expect(run(1)).toEqual(one);
    const two = run(2);
    expect(run(2)).toEqual(two);
    expect(relErr(two, one)).toBeLessThan(1e-5);
  });

  it('an Adam step leaks no tensors and no tapes', async () => {
    const net = makeNet(8);
    const x = tf.tensor2d(randomPoints(40, 2, 9), [40, 2]);
    const engine = fusedEngine();
    const opt = adam({ learningRate: 1e-3 });
    const vars = networkVariables(net);
    const loss = residual(engine, net, x);
    opt.minimize(loss, vars); // creates Adam's slots
    await expectNoLeak(() => opt.minimize(loss, vars), 'fused Adam step on an embedded MLP');
    expect(engine.lastEngine()).toBe('fused');
    expect(loadRuntime(engine.build!).liveTapes).toBe(0);
    opt.dispose();
    x.dispose();
    net.dispose();
  });

  it("KdV's u_xxx runs in the kernel too: fields and every parameter's gradient equal the taylor engine", () => {
    const net = makeNet(14);
    const x = tf.tensor2d(randomPoints(40, 2, 15), [40, 2]);
    const req = [[], [1], [0], [0, 0, 0]]; // u, u_t, u_x, u_xxx
    const kdv = (e: { derivatives: typeof taylorEngine.derivatives }) => () =>
      tf.tidy(() => {
        const [u, ut, ux, uxxx] = e.derivatives(net, x, req);
        return tf.mean(tf.square(tf.add(tf.add(ut, tf.mul(u, ux)), tf.mul(0.0025, uxxx)))) as tf.Scalar;
      });
    const eng = fusedEngine();
    const got = eng.derivatives(net, x, req);
    expect(eng.lastEngine()).toBe('fused');
    const want = taylorEngine.derivatives(net, x, req);
    got.forEach((g, r) => expect(relErr(g.dataSync(), want[r].dataSync())).toBeLessThan(2e-5));
    const vars = networkVariables(net);
    const a = tf.variableGrads(kdv(eng), vars);
    const b = tf.variableGrads(kdv(taylorEngine), vars);
    for (const v of vars) expect(relErr(a.grads[v.name].dataSync(), b.grads[v.name].dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, ...got, ...want, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    net.dispose();
  });

  it('mixed third, fourth derivatives and other bodies take the taylor engine, with a notice', () => {
    const lines: string[] = [];
    const e = fusedEngine({ log: (l) => lines.push(l) });
    const net = makeNet(10);
    const x = tf.tensor2d(randomPoints(9, 2, 11), [9, 2]);
    const got = e.derivatives(net, x, [[], [0, 0, 1]]);
    expect(e.lastEngine()).toBe('taylor');
    const want = taylorEngine.derivatives(net, x, [[], [0, 0, 1]]);
    got.forEach((g, r) => expect(relErr(g.dataSync(), want[r].dataSync())).toBeLessThan(1e-6));
    e.derivatives(net, x, [[0, 0, 0, 0]]).forEach((t) => t.dispose());
    expect(e.lastEngine()).toBe('taylor');
    expect(lines).toEqual([
      'derivatives: taylor engine (fused kernel computes third derivatives along one input only, [i, i, i]; [0, 0, 1] requested)',
      'derivatives: taylor engine (fused kernel computes up to third derivatives; order 4 requested)',
    ]);
    const modified = createNetwork(
      { ...spec, kind: 'modified-mlp', hidden: [8, 8] },
      { inputs: 2, outputs: 1, inputNames: ['x', 't'] },
      new Rng(1),
    );
    e.derivatives(modified, x, [[], [0]]).forEach((t) => t.dispose());
    expect(e.lastEngine()).toBe('taylor');
    expect(lines[2]).toMatch(
      /fused kernel takes 'mlp' bodies only .*this is a modified-mlp\+periodic\+fourier\+factorized/,
    );
    tf.dispose([x, ...got, ...want]);
    net.dispose();
    modified.dispose();
  });
});

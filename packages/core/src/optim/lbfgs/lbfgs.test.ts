import { tf } from '../../tf';
import { initBackend } from '../../backend/backend';
import { expectNoLeak } from '../../testing/leaks';
import { Rng } from '../../random/rng';
import { train } from '../../train/train';
import { glorotNormal } from '../../init/initializers';
import { lbfgs } from './lbfgs';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Rosenbrock of a (n,) variable in tfjs ops (float32). */
function rosenbrockTf(x: tf.Variable): () => tf.Scalar {
  const n = x.shape[0];
  return () => {
    const head = x.slice(0, n - 1),
      tail = x.slice(1, n - 1);
    return tail.sub(head.square()).square().mul(100).add(tf.scalar(1).sub(head).square()).sum() as tf.Scalar;
  };
}

/** Solve the normal equations (A^T A) x = A^T b in float64 by Gaussian elimination with partial pivoting. */
function normalEquations(A: number[][], b: number[]): number[] {
  const n = A[0].length;
  const M = Array.from({ length: n }, (_, i) => {
    const row = Array.from({ length: n }, (_, j) => A.reduce((s, r) => s + r[i] * r[j], 0));
    row.push(A.reduce((s, r, k) => s + r[i] * b[k], 0));
    return row;
  });
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const k = M[r][c] / M[c][c];
      for (let j = c; j <= n; j++) M[r][j] -= k * M[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let j = r + 1; j < n; j++) s -= M[r][j] * x[j];
    x[r] = s / M[r][r];
  }
  return x;
}

describe('lbfgs on tf.Variables', () => {
  it('10-d Rosenbrock from (-1.2, 1, ...): f < 1e-8 in <= 500 iterations, with a reason', () => {
    const x = tf.variable(tf.tensor1d(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1))));
    const r = lbfgs({ memory: 10 }).run(rosenbrockTf(x), [x]);
    expect(r.loss).toBeLessThan(1e-8);
    expect(r.iterations).toBeLessThanOrEqual(500);
    expect(r.reason.length).toBeGreaterThan(10);
    expect(r.functionEvals).toBeGreaterThanOrEqual(r.iterations);
    // the variable holds the final iterate
    expect(rosenbrockTf(x)().dataSync()[0]).toBeCloseTo(r.loss, 8);
    Array.from(x.dataSync()).forEach((xi) => expect(Math.abs(xi - 1)).toBeLessThan(1e-3));
    x.dispose();
  });

  it('solves linear least squares to the normal-equations solution (two variables: weights and bias), leaking nothing', async () => {
    const rng = new Rng(3);
    const N = 40,
      d = 4;
    const A = Array.from({ length: N }, () => Array.from({ length: d }, () => rng.normal()));
    const b = Array.from({ length: N }, () => rng.normal());
    const xStar = normalEquations(
      A.map((r) => [...r, 1]),
      b,
    ); // last entry = bias
    const At = tf.tensor2d(A),
      bt = tf.tensor2d(b, [N, 1]);
    const w = tf.variable(tf.zeros([d, 1])),
      c = tf.variable(tf.zeros([1]));
    const loss = () => At.matMul(w).add(c).sub(bt).square().sum().mul(0.5) as tf.Scalar;
    const r = await expectNoLeak(() => lbfgs().run(loss, [w, c]), 'lbfgs run');
    const got = [...Array.from(w.dataSync()), c.dataSync()[0]];
    got.forEach((g, i) => expect(Math.abs(g - xStar[i])).toBeLessThan(1e-4));
    expect(r.iterations).toBeLessThan(30); // a quadratic in 5 unknowns: superlinear convergence
    tf.dispose([At, bt, w, c]);
  });

  it('as an Optimizer in the trainer: one iteration per step, stops with the reason, leaks nothing', async () => {
    const x = tf.variable(tf.tensor1d([-1.2, 1, -1.2, 1]));
    const opt = lbfgs();
    const f = rosenbrockTf(x);
    const history = await expectNoLeak(
      () => train({ params: [x], optimizer: opt, steps: 300, loss: f }),
      'lbfgs train',
    );
    expect(history.loss[0]).toBeCloseTo(24.2 + 484 + 24.2, 3); // f(-1.2, 1, -1.2, 1), the loss before step 0
    const last = history.loss[history.loss.length - 1];
    expect(last).toBeLessThan(1e-8);
    // stopped by the optimizer's own criterion before 300 steps, with its reason
    expect(history.steps).toBeLessThan(300);
    expect(history.stopReason).toMatch(/^lbfgs: (gradient converged|line search failed)/);
    expect(opt.getState().step).toBeGreaterThan(10);
    // the start of each iteration reuses the line search's last evaluation: one forward pass, not a full one
    const { full, forward } = opt.evaluations;
    expect(forward).toBeGreaterThanOrEqual(history.steps - 1);
    expect(full).toBeLessThan(1.5 * history.steps);
    x.dispose();
  });

  it('as an Optimizer: a loss that changes between steps gets a full evaluation (no stale gradient)', () => {
    const x = tf.variable(tf.tensor1d([3]));
    const opt = lbfgs();
    let target = 0;
    const f = () => x.sub(target).square().sum() as tf.Scalar;
    for (let i = 0; i < 3; i++) opt.minimize(f, [x]); // a scaled gradient step, then the secant step lands on 0
    expect(x.dataSync()[0]).toBeCloseTo(0, 5);
    target = 1; // same point, different loss: the cached gradient (about 0) must not be used
    const before = opt.evaluations.full;
    const l = opt.minimize(f, [x]);
    expect(l).toBeCloseTo(1, 5);
    expect(opt.evaluations.full).toBeGreaterThan(before + 1); // fresh start evaluation + the line search
    for (let i = 0; i < 3; i++) opt.minimize(f, [x]);
    expect(x.dataSync()[0]).toBeCloseTo(1, 4);
    x.dispose();
  });

  it('does not stop early on a float32 loss whose rounding noise exceeds the per-step decrease', async () => {
    // 1-20-1 tanh net fitting sin(3x) on 200 points: near 1e-5 the loss's relative noise (~2e-5) exceeds
    // the decrease per iteration. A strict strong-Wolfe search failed here at step 118 (loss 1.18e-5).
    const rng = new Rng(1);
    const make = (t: tf.Tensor) => {
      const v = tf.variable(t);
      t.dispose();
      return v;
    };
    const W1 = make(glorotNormal([1, 20], rng)),
      b1 = make(tf.zeros([20])),
      W2 = make(glorotNormal([20, 1], rng));
    const x = tf.linspace(-1, 1, 200).reshape([200, 1]),
      y = x.mul(3).sin();
    const opt = lbfgs();
    const h = await train({
      params: [W1, b1, W2],
      optimizer: opt,
      steps: 200,
      progress: 'none',
      loss: () => tf.losses.meanSquaredError(y, x.matMul(W1).add(b1).tanh().matMul(W2)) as tf.Scalar,
    });
    expect(h.stoppedBy).toBe('completed');
    expect(h.loss[199]).toBeLessThan(1.1e-5);
    expect(opt.evaluations.full).toBeLessThan(1.5 * 200);
    tf.dispose([W1, b1, W2, x, y]);
  });

  it('state (curvature pairs) round-trips through JSON: a restored optimizer continues identically', () => {
    const xa = tf.variable(tf.tensor1d([-1.2, 1, -1.2])),
      xb = tf.variable(tf.tensor1d([0, 0, 0]));
    const a = lbfgs({ memory: 3 });
    for (let i = 0; i < 5; i++) a.minimize(rosenbrockTf(xa), [xa]);
    xb.assign(xa);
    const b = lbfgs({ memory: 3 });
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    for (let i = 0; i < 5; i++) {
      expect(b.minimize(rosenbrockTf(xb), [xb])).toBe(a.minimize(rosenbrockTf(xa), [xa]));
    }
    expect(Array.from(xb.dataSync())).toEqual(Array.from(xa.dataSync()));
    tf.dispose([xa, xb]);
  });

  it('a finite loss with a non-finite gradient stops with that reason (sqrt at 0)', () => {
    const x = tf.variable(tf.tensor1d([0, 1]));
    const opt = lbfgs();
    opt.minimize(() => x.sqrt().sum() as tf.Scalar, [x]);
    expect(opt.stopRequest()).toBe(
      'lbfgs: non-finite gradient (max|g| = Infinity) at step 0 although the loss is finite (1)',
    );
    expect(Array.from(x.dataSync())).toEqual([0, 1]);
    x.dispose();
  });

  it('bad config names the option', () => {
    expect(() => lbfgs({ memory: 0 })).toThrow('memory must be a positive integer, got 0');
    expect(() => lbfgs({ learningRate: -1 })).toThrow('learningRate must be a finite number > 0, got -1');
    expect(() => lbfgs({ lineSearch: { c1: 0.95 } })).toThrow('lineSearch needs 0 < c1 < c2 < 1');
    expect(() => lbfgs().applyGradients()).toThrow('lbfgs: applyGradients is not supported');
  });
});

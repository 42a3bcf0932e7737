/**
 * A transformer as a solution operator for -u'' = f on (0, 1), u(0) = u(1) = 0
 * (course: week10/programs/transformer_poisson.py). Training pairs: f = sum_{k<=8} a_k sin(k pi x),
 * a_k ~ N(0, 1), exact u = sum a_k / (k pi)^2 sin(k pi x), both divided by the RMS of f on the grid.
 * Tokens are [x_i, f_i] plus sinusoidal features of x_i (so attention can form kernels G(x_i, x_j)); the encoder's per-token output N_i gives u_i = x_i (1 - x_i) N_i, so the
 * boundary conditions hold exactly. The model trains on grids of 16 and 32 intervals and is tested
 * on 16, 32 and 64 (64 unseen) against the exact solution and the O(h^2) tridiagonal (Thomas) solver,
 * on f = sin(pi x) (u = sin(pi x)/pi^2) and on held-out random f.
 *
 *   npx ts-node experiments/nn/poisson-transformer.ts [--quick]
 */
import { tf, Rng, adam, cosineDecay } from '@aml/core';
import { transformerEncoder, sinusoidalEncoding1d, mse, type Layer } from '@aml/nn';
import { Report, lineFigure } from '@aml/plot';
import { type RunOptions, Results, ensureBackend, runIfMain } from '../common';

/** Settings of the experiment. */
export interface PoissonTransformerConfig {
  /** Sine modes in f. */
  readonly modes: number;
  /** Grids (intervals) used for training, and for testing. */
  readonly trainGrids: readonly number[];
  readonly testGrids: readonly number[];
  /** Training functions per grid; validation functions per test grid. */
  readonly nTrain: number;
  readonly nVal: number;
  /** Sinusoidal features of the continuous position x appended to each token (sinusoidalEncoding1d of x * 64); 0 for none. */
  readonly positionFeatures: number;
  /** Encoder size. */
  readonly dModel: number;
  readonly heads: number;
  readonly layers: number;
  readonly ffn: number;
  /** Steps (alternating grids), batch, peak learning rate (cosine decay). */
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
}

/** The full-run settings, or smoke-size ones with `quick` (tests, CI). */
export function config(quick: boolean): PoissonTransformerConfig {
  const base = { modes: 8, trainGrids: [16, 32], testGrids: [16, 32, 64] };
  return quick
    ? {
        ...base,
        positionFeatures: 4,
        nTrain: 32,
        nVal: 8,
        dModel: 16,
        heads: 2,
        layers: 1,
        ffn: 32,
        steps: 4,
        batchSize: 8,
        lr: 1e-3,
      }
    : {
        ...base,
        positionFeatures: 16,
        nTrain: 2000,
        nVal: 200,
        dModel: 32,
        heads: 4,
        layers: 2,
        ffn: 64,
        steps: 2000,
        batchSize: 32,
        lr: 2e-3,
      };
}

/** Grid x_i = i/n, i = 0..n. */
const grid = (n: number) => Float64Array.from({ length: n + 1 }, (_, i) => i / n);

/** Tokens [x_i, f_i, PE(x_i)] for one f on a grid: (n+1, 2 + p). */
function tokens(x: Float64Array, f: ArrayLike<number>, p: number): Float32Array {
  const pe =
    p > 0
      ? sinusoidalEncoding1d(
          Array.from(x, (xi) => xi * 64),
          p,
        )
      : null;
  const peV = pe ? pe.dataSync() : new Float32Array(0);
  pe?.dispose();
  const w = 2 + p;
  const out = new Float32Array(x.length * w);
  for (let i = 0; i < x.length; i++) {
    out[i * w] = x[i];
    out[i * w + 1] = f[i];
    out.set(peV.subarray(i * p, (i + 1) * p), i * w + 2);
  }
  return out;
}

/** Random f and exact u on a grid, both scaled by 1/RMS(f): tokens (m, n+1, 2+p) and targets (m, n+1, 1). */
function pairs(n: number, m: number, modes: number, p: number, rng: Rng) {
  const x = grid(n);
  const w = 2 + p;
  const tok = new Float32Array(m * (n + 1) * w);
  const u = new Float32Array(m * (n + 1));
  for (let s = 0; s < m; s++) {
    const a = Array.from({ length: modes }, () => rng.normal());
    const f = Array.from(x, (xi) => a.reduce((t, ak, k) => t + ak * Math.sin((k + 1) * Math.PI * xi), 0));
    const uu = Array.from(x, (xi) =>
      a.reduce((t, ak, k) => t + (ak / ((k + 1) * Math.PI) ** 2) * Math.sin((k + 1) * Math.PI * xi), 0),
    );
    const rms = Math.sqrt(f.reduce((t, v) => t + v * v, 0) / f.length) || 1;
    tok.set(
      tokens(
        x,
        f.map((v) => v / rms),
        p,
      ),
      s * (n + 1) * w,
    );
    for (let i = 0; i <= n; i++) u[s * (n + 1) + i] = uu[i] / rms;
  }
  return { x: tf.tensor3d(tok, [m, n + 1, w]), u: tf.tensor3d(u, [m, n + 1, 1]) };
}

/** u = x (1 - x) N(tokens): (B, n+1, 2+p) -> (B, n+1, 1); x is the first token feature. */
function solve(net: Layer, tokens: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const x = tokens.slice([0, 0, 0], [-1, -1, 1]);
    return tf.mul(tf.mul(x, tf.sub(1, x)), net.apply(tokens));
  });
}

/** Thomas algorithm for (-u_{i-1} + 2 u_i - u_{i+1}) / h^2 = f_i at interior points, u_0 = u_n = 0. */
export function thomasPoisson(f: ArrayLike<number>, n: number): Float64Array {
  const h2 = 1 / (n * n);
  const m = n - 1; // interior unknowns
  const c = new Float64Array(m),
    d = new Float64Array(m);
  // sub/super-diagonal -1, diagonal 2: c'_i = -1/(2 + c'_{i-1}), d'_i = (h^2 f_i + d'_{i-1})/(2 + c'_{i-1})
  for (let i = 0; i < m; i++) {
    const denom = 2 + (i > 0 ? c[i - 1] : 0);
    c[i] = -1 / denom;
    d[i] = (f[i + 1] * h2 + (i > 0 ? d[i - 1] : 0)) / denom;
  }
  const u = new Float64Array(n + 1);
  for (let i = m - 1; i >= 0; i--) u[i + 1] = d[i] - c[i] * (i + 1 < m ? u[i + 2] : 0);
  return u;
}

const errs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let mx = 0,
    s = 0;
  for (let i = 0; i < a.length; i++) {
    mx = Math.max(mx, Math.abs(a[i] - b[i]));
    s += (a[i] - b[i]) ** 2;
  }
  return { max: mx, l2: Math.sqrt(s / a.length) };
};

/** Run the experiment: generate the data, train, evaluate, write results/<name>/ and return the metrics. */
export async function run(o: RunOptions = {}) {
  await ensureBackend();
  const c = config(Boolean(o.quick));
  const res = new Results('poisson-transformer', o, c);
  const rng = new Rng(o.seed ?? 1);
  const net = transformerEncoder(
    {
      inputSize: 2 + c.positionFeatures,
      dModel: c.dModel,
      heads: c.heads,
      layers: c.layers,
      ffn: c.ffn,
      outputSize: 1,
      head: 'token',
      positions: 'none',
    },
    rng.fork(),
  );
  const sets = c.trainGrids.map((n) => pairs(n, c.nTrain, c.modes, c.positionFeatures, rng));
  const opt = adam({ learningRate: c.lr });
  const t0 = Date.now();
  const hist = await res.train('model', {
    params: net.params,
    optimizer: opt,
    steps: c.steps,
    rng: rng.fork(),
    schedule: cosineDecay({ initial: c.lr, steps: c.steps, final: c.lr * 0.02 }),
    loss: ({ step, rng: r }) => {
      // alternate grids; a random mini-batch of that grid's functions
      const s = sets[step % sets.length];
      const idx = tf.tensor1d(
        Int32Array.from({ length: c.batchSize }, () => r.int(c.nTrain)),
        'int32',
      );
      return mse(solve(net, tf.gather(s.x, idx)), tf.gather(s.u, idx));
    },
  });
  const seconds = (Date.now() - t0) / 1000;
  const metrics: Record<string, unknown> = { trainSeconds: seconds, finalLoss: hist.loss[hist.loss.length - 1] };
  const report = new Report("Transformer operator for -u'' = f");
  report.section('Training').figure(lineFigure([{ name: 'MSE', y: hist.loss }], { yScale: 'log', xLabel: 'step' }));
  for (const n of c.testGrids) {
    const x = grid(n);
    const f = Array.from(x, (xi) => Math.sin(Math.PI * xi));
    const exact = Array.from(x, (xi) => Math.sin(Math.PI * xi) / Math.PI ** 2);
    const rms = Math.sqrt(f.reduce((t, v) => t + v * v, 0) / f.length);
    const tok = tf.tensor3d(
      tokens(
        x,
        f.map((v) => v / rms),
        c.positionFeatures,
      ),
      [1, n + 1, 2 + c.positionFeatures],
    );
    const uNet = Array.from(
      tf.tidy(() => solve(net, tok).dataSync()),
      (v) => v * rms,
    );
    const uFd = thomasPoisson(f, n);
    const val = pairs(n, c.nVal, c.modes, c.positionFeatures, rng);
    const relL2 = tf.tidy(() => {
      const p = solve(net, val.x);
      return tf.div(tf.norm(tf.sub(p, val.u)), tf.norm(val.u)).dataSync()[0];
    });
    metrics[`n=${n}`] = {
      transformerSinPi: errs(uNet, exact),
      thomasSinPi: errs(uFd, exact),
      transformerValRelL2: relL2,
    };
    res.log(
      `n=${n}: transformer max err ${errs(uNet, exact).max.toExponential(2)}, Thomas ${errs(uFd, exact).max.toExponential(2)}, random-f rel. L2 ${relL2.toFixed(4)}`,
    );
    const xs = Array.from(x);
    report.section(`Grid n = ${n}`).figure(
      lineFigure(
        [
          { name: 'exact', x: xs, y: exact },
          { name: 'transformer', x: xs, y: uNet, mode: 'markers' },
          { name: 'Thomas', x: xs, y: Array.from(uFd), mode: 'markers' },
        ],
        { xLabel: 'x', yLabel: 'u' },
      ),
      'f = sin(pi x)',
    );
    tf.dispose([tok, val.x, val.u]);
  }
  res.finish(c, metrics, report);
  sets.forEach((s) => tf.dispose([s.x, s.u]));
  opt.dispose();
  net.params.forEach((v) => v.dispose());
  return metrics;
}

runIfMain(module, run);

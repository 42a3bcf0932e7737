/**
 * MADE, masked autoencoder for distribution estimation (Germain et al. 2015): an MLP whose weight
 * masks make output block i depend only on x_1..x_{i-1}, so p(x) = prod_i p(x_i | x_<i) is exact.
 * Conditionals: Bernoulli (binary data, e.g. Ising spins in {0,1}) or a K-component Gaussian
 * mixture (real data).
 */
import { intAtLeast, type Optimizer, positiveInt, type Rng, type StepResult, tf } from '@aml/core';
import { initVariable } from '@aml/nn';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import { ownedVariable } from '../util/variables';

/** MADE settings. */
export interface MadeConfig {
  /** Data dimension d >= 2. */
  readonly dim: number;
  /** Hidden widths, each >= d - 1 so every degree appears (e.g. [128, 128]). */
  readonly hidden: readonly number[];
  /** 'bernoulli' for x in {0,1}^d, 'mixture' for real x with a Gaussian mixture per conditional. */
  readonly likelihood: 'bernoulli' | 'mixture';
  /** Mixture components K (default 5). */
  readonly components?: number;
}

const schema = z.strictObject({
  dim: intAtLeast(2, 'dim'),
  hidden: z.array(positiveInt()).min(1, 'hidden needs at least one layer'),
  likelihood: z.enum(['bernoulli', 'mixture']),
  components: positiveInt('components').default(5),
});

/** A MADE network: masked weights (in, out), biases, and fixed 0/1 masks. */
export interface Made {
  readonly config: Required<MadeConfig>;
  readonly weights: readonly tf.Variable[];
  readonly biases: readonly tf.Variable[];
  readonly masks: readonly tf.Tensor2D[];
  readonly params: readonly tf.Variable[];
  /** Outputs per dimension: 1 (Bernoulli logit) or 3K (mixture logits, means, log-stds). */
  readonly perDim: number;
}

/**
 * Build a MADE with the natural ordering and hidden degrees assigned cyclically in 1..d-1.
 * @example const m = made({ dim: 16, hidden: [64, 64], likelihood: 'bernoulli' }, new Rng(0));
 */
export function made(config: MadeConfig, rng: Rng): Made {
  const c = parseConfig(schema, config, 'MADE');
  const d = c.dim;
  for (const h of c.hidden)
    if (h < d - 1)
      throw new Error(`MADE: hidden width ${h} is below dim - 1 = ${d - 1}; some inputs could not reach the outputs`);
  const perDim = c.likelihood === 'bernoulli' ? 1 : 3 * c.components;
  const masks = madeMasks(d, c.hidden, perDim);
  const weights: tf.Variable[] = [],
    biases: tf.Variable[] = [];
  const sizes = [d, ...c.hidden, perDim * d];
  for (let l = 0; l < sizes.length - 1; l++) {
    weights.push(
      initVariable(l === sizes.length - 2 ? 'glorotNormal' : 'heNormal', [sizes[l], sizes[l + 1]], rng, 1, 'MADE'),
    );
    biases.push(ownedVariable(tf.zeros([sizes[l + 1]])));
  }
  return { config: c, weights, biases, masks, params: [...weights, ...biases], perDim };
}

/**
 * MADE's 0/1 weight masks for the natural ordering, one per layer, shapes (d, h_1), ..., (h_L, perDim * d).
 * Hidden unit k of every layer gets degree (k mod (d - 1)) + 1; a hidden unit sees inputs of degree <= its
 * own, and output unit j (dimension (j mod d) + 1) sees hidden degrees strictly below its dimension.
 * Widths must be >= d - 1 (checked by the callers).
 */
export function madeMasks(d: number, hidden: readonly number[], perDim: number): tf.Tensor2D[] {
  const degIn = Array.from({ length: d }, (_, i) => i + 1);
  const degrees: number[][] = [degIn, ...hidden.map((h) => Array.from({ length: h }, (_, k) => (k % (d - 1)) + 1))];
  // Output unit j belongs to dimension (j mod d) + 1: layout (perDim, d) flattened, so dims are contiguous per parameter.
  const degOut = Array.from({ length: perDim * d }, (_, j) => (j % d) + 1);
  const sizes = [d, ...hidden, perDim * d];
  const masks: tf.Tensor2D[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const inD = degrees[l];
    const strict = l === sizes.length - 2; // output: depends on strictly earlier dims
    const outD = strict ? degOut : degrees[l + 1];
    const m = new Float32Array(sizes[l] * sizes[l + 1]);
    for (let i = 0; i < sizes[l]; i++)
      for (let j = 0; j < sizes[l + 1]; j++)
        m[i * sizes[l + 1] + j] = strict ? +(outD[j] > inD[i]) : +(outD[j] >= inD[i]);
    masks.push(tf.tensor2d(m, [sizes[l], sizes[l + 1]]));
  }
  return masks;
}

/** Network outputs for x (B, d): (B, perDim, d). */
export function madeOutputs(m: Made, x: tf.Tensor2D): tf.Tensor3D {
  if (x.rank !== 2 || x.shape[1] !== m.config.dim)
    throw new Error(`MADE: input must have shape (B, ${m.config.dim}), got (${x.shape.join(', ')})`);
  return tf.tidy(() => {
    let h: tf.Tensor2D = x;
    const L = m.weights.length;
    for (let l = 0; l < L; l++) {
      h = tf.matMul(h, m.weights[l].mul(m.masks[l])).add(m.biases[l]) as tf.Tensor2D;
      if (l < L - 1) h = tf.relu(h);
    }
    return h.reshape([x.shape[0], m.perDim, m.config.dim]) as tf.Tensor3D; // (B, P, d)
  });
}

/** Per-dimension log p(x_i | x_<i), (B, d) -> (B, d). */
function conditionalLogProbs(m: Made, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const out = madeOutputs(m, x); // (B, P, d)
    if (m.config.likelihood === 'bernoulli') {
      const l = out.squeeze([1]); // (B, d) logits
      return x.mul(l).sub(tf.softplus(l)) as tf.Tensor2D; // log sigmoid(l)^x (1 - sigmoid(l))^(1-x)
    }
    const K = m.config.components;
    const [wl, mu, ls] = tf.split(out, [K, K, K], 1); // (B, K, d) each
    const logStd = ls.clipByValue(-7, 5);
    const xe = x.expandDims(1); // (B, 1, d)
    const logN = xe
      .sub(mu)
      .div(logStd.exp())
      .square()
      .mul(-0.5)
      .sub(logStd)
      .sub(0.5 * Math.log(2 * Math.PI));
    const logW = wl.sub(wl.logSumExp(1, true)); // log softmax over K
    return logW.add(logN).logSumExp(1) as tf.Tensor2D; // (B, d)
  });
}

/** Exact log p(x) = sum_i log p(x_i | x_<i), (B, d) -> (B). */
export function madeLogProb(m: Made, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => conditionalLogProbs(m, x).sum(1) as tf.Tensor1D);
}

/** One maximum-likelihood step on x (B, d); returns mean -log p before the update. Leaves no tensors. */
export function madeStep(m: Made, x: tf.Tensor2D, optimizer: Optimizer): StepResult {
  return { loss: optimizer.minimize(() => madeLogProb(m, x).mean().neg() as tf.Scalar, m.params) };
}

/** Ancestral sampling, one dimension per pass (d passes): (n, d). */
export function sampleMade(m: Made, n: number, rng: Rng): tf.Tensor2D {
  const d = m.config.dim,
    K = m.config.components;
  const x = new Float32Array(n * d);
  for (let i = 0; i < d; i++) {
    const out = tf.tidy(() => madeOutputs(m, tf.tensor2d(x, [n, d])).arraySync()) as number[][][]; // (n, P, d)
    for (let b = 0; b < n; b++) {
      const o = out[b];
      if (m.config.likelihood === 'bernoulli') {
        x[b * d + i] = rng.uniform() < 1 / (1 + Math.exp(-o[0][i])) ? 1 : 0;
      } else {
        // pick a component by its softmax weight, then draw from its Gaussian
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, o[k][i]);
        const w = Array.from({ length: K }, (_, k) => Math.exp(o[k][i] - mx));
        let u = rng.uniform() * w.reduce((a, v) => a + v, 0);
        let k = 0;
        while (k < K - 1 && u > w[k]) u -= w[k++];
        const logStd = Math.min(5, Math.max(-7, o[2 * K + k][i]));
        x[b * d + i] = o[K + k][i] + Math.exp(logStd) * rng.normal();
      }
    }
  }
  return tf.tensor2d(x, [n, d]);
}

/** Free the MADE's variables and masks. */
export function disposeMade(m: Made): void {
  for (const t of [...m.masks, ...m.params]) t.dispose();
}

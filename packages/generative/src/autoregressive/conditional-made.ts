/**
 * Conditional MADE with Bernoulli conditionals: p(x | c) = prod_i p(x_i | x_<i, c) for x in {0,1}^d.
 * The masked MADE network (Germain et al. 2015) plus a context c (e.g. a VAE latent z) fed to every
 * layer, outputs included, through an unmasked weight, so each conditional may use all of c but only
 * the earlier x. This is the autoregressive decoder of PixelVAE / VLAE (Gulrajani et al. 2017, Chen et
 * al. 2017) in MLP form. An optional direct masked x -> logits connection (strictly lower triangular,
 * as in MADE's paper) gives each conditional a linear path to its predecessors.
 */
import { intAtLeast, positiveInt, type Rng, tf } from '@aml/core';
import { initVariable } from '@aml/nn';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import { ownedVariable } from '../util/variables';
import { madeMasks } from './made';

/** Conditional MADE settings. */
export interface ConditionalMadeConfig {
  /** Data dimension d >= 2. */
  readonly dim: number;
  /** Hidden widths, each >= d - 1 so every degree appears (e.g. [256, 256]). */
  readonly hidden: readonly number[];
  /** Context size (the VAE's latent size), >= 1. */
  readonly contextSize: number;
  /** Add the direct masked x -> logits weight (default true). */
  readonly direct?: boolean;
}

const schema = z.strictObject({
  dim: intAtLeast(2, 'dim'),
  hidden: z.array(positiveInt()).min(1, 'hidden needs at least one layer'),
  contextSize: positiveInt('contextSize'),
  direct: z.boolean().default(true),
});

/** A conditional MADE: per layer l masked W_l (in, out), unmasked context weight V_l (contextSize, out), bias b_l. */
export interface ConditionalMade {
  readonly config: Required<ConditionalMadeConfig>;
  readonly weights: readonly tf.Variable[];
  readonly contextWeights: readonly tf.Variable[];
  readonly biases: readonly tf.Variable[];
  /** Direct (d, d) weight under a strictly lower-triangular mask, or null. */
  readonly direct: tf.Variable | null;
  /** Fixed 0/1 masks: one per layer, then the direct mask if any. */
  readonly masks: readonly tf.Tensor2D[];
  readonly params: readonly tf.Variable[];
}

/**
 * Build a conditional MADE (natural ordering, cyclic hidden degrees as in made()).
 * @example const m = conditionalMade({ dim: 64, hidden: [256, 256], contextSize: 16 }, new Rng(0));
 */
export function conditionalMade(config: ConditionalMadeConfig, rng: Rng): ConditionalMade {
  const c = parseConfig(schema, config, 'conditional MADE');
  const d = c.dim;
  for (const h of c.hidden)
    if (h < d - 1)
      throw new Error(
        `conditional MADE: hidden width ${h} is below dim - 1 = ${d - 1}; some inputs could not reach the outputs. Use widths >= ${d - 1}`,
      );
  const masks = madeMasks(d, c.hidden, 1);
  const sizes = [d, ...c.hidden, d];
  const weights: tf.Variable[] = [],
    contextWeights: tf.Variable[] = [],
    biases: tf.Variable[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const out = l === sizes.length - 2;
    weights.push(initVariable(out ? 'glorotNormal' : 'heNormal', [sizes[l], sizes[l + 1]], rng, 1, 'conditional MADE'));
    contextWeights.push(initVariable('glorotNormal', [c.contextSize, sizes[l + 1]], rng, 1, 'conditional MADE'));
    biases.push(ownedVariable(tf.zeros([sizes[l + 1]])));
  }
  let direct: tf.Variable | null = null;
  if (c.direct) {
    // Row i (input x_{i+1}) reaches column j (output j+1) only when i < j: strictly earlier inputs.
    const dm = new Float32Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) dm[i * d + j] = 1;
    masks.push(tf.tensor2d(dm, [d, d]));
    direct = ownedVariable(tf.zeros([d, d]));
  }
  const params = [...weights, ...contextWeights, ...biases, ...(direct ? [direct] : [])];
  return { config: c, weights, contextWeights, biases, direct, masks, params };
}

function checkShapes(m: ConditionalMade, x: tf.Tensor2D, context: tf.Tensor2D): void {
  const { dim, contextSize } = m.config;
  if (x.rank !== 2 || x.shape[1] !== dim)
    throw new Error(`conditional MADE: x must have shape (B, ${dim}), got (${x.shape.join(', ')})`);
  if (context.rank !== 2 || context.shape[1] !== contextSize || context.shape[0] !== x.shape[0]) {
    throw new Error(
      `conditional MADE: context must have shape (${x.shape[0]}, ${contextSize}) to match x, got (${context.shape.join(', ')})`,
    );
  }
}

/** Bernoulli logits of p(x_i = 1 | x_<i, c): x (B, d), context (B, contextSize) -> (B, d). */
export function conditionalMadeLogits(m: ConditionalMade, x: tf.Tensor2D, context: tf.Tensor2D): tf.Tensor2D {
  checkShapes(m, x, context);
  return tf.tidy(() => {
    const L = m.weights.length;
    let h: tf.Tensor2D = x;
    for (let l = 0; l < L; l++) {
      h = tf
        .matMul(h, m.weights[l].mul(m.masks[l]))
        .add(tf.matMul(context, m.contextWeights[l]))
        .add(m.biases[l]) as tf.Tensor2D;
      if (l < L - 1) h = tf.relu(h);
    }
    if (m.direct) h = h.add(tf.matMul(x, m.direct.mul(m.masks[L]))) as tf.Tensor2D;
    return h; // (B, d)
  });
}

/** Per-dimension log p(x_i | x_<i, c), (B, d): x log s(l) + (1 - x) log(1 - s(l)) = x l - softplus(l). */
export function conditionalMadeLogProbs(m: ConditionalMade, x: tf.Tensor2D, context: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const l = conditionalMadeLogits(m, x, context);
    return x.mul(l).sub(tf.softplus(l)) as tf.Tensor2D;
  });
}

/** Exact log p(x | c) = sum_i log p(x_i | x_<i, c), (B, d) -> (B). */
export function conditionalMadeLogProb(m: ConditionalMade, x: tf.Tensor2D, context: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => conditionalMadeLogProbs(m, x, context).sum(1) as tf.Tensor1D);
}

/**
 * Ancestral sampling x ~ p(x | c) for each row of context (n, contextSize), one dimension per pass
 * (d passes, all rows together): (n, d) in {0, 1}. Uniforms come from `rng`, so a seed fixes the draw.
 */
export function sampleConditionalMade(m: ConditionalMade, context: tf.Tensor2D, rng: Rng): tf.Tensor2D {
  const d = m.config.dim,
    n = context.shape[0];
  const x = new Float32Array(n * d);
  for (let i = 0; i < d; i++) {
    // Only column i is needed; the full forward pass is simpler and each pass is small next to training.
    const p = tf.tidy(() =>
      tf.sigmoid(conditionalMadeLogits(m, tf.tensor2d(x, [n, d]), context).slice([0, i], [n, 1])).dataSync(),
    );
    for (let b = 0; b < n; b++) x[b * d + i] = rng.uniform() < p[b] ? 1 : 0;
  }
  return tf.tensor2d(x, [n, d]);
}

/** Free the network's variables and masks. */
export function disposeConditionalMade(m: ConditionalMade): void {
  for (const t of [...m.masks, ...m.params]) t.dispose();
}

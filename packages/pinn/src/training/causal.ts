/**
 * Causal training (Wang, Sankaran & Perdikaris 2022, "Respecting causality is all you need for
 * training physics-informed neural networks", arXiv:2203.07404): the residual points, sorted by
 * time, are cut into M chunks (time quantiles); chunk i's loss L_i counts with weight
 *
 *   w_i = exp(-ε Σ_{k<i} L_k),   w_1 = 1,   L_r = (1/M) Σ_i w_i L_i,
 *
 * so later times train only once earlier ones are resolved. The weights are constants of the
 * gradient: tfjs has no stopGradient, so they are computed in plain numbers from the chunk losses
 * read back during the forward pass, and enter the loss as a constant tensor.
 *
 * ε is one value (jaxpi keeps it fixed; default 1) or a list annealed upwards: the next value is
 * taken once min_i w_i > δ (default 0.99), the paper's convergence test.
 */
import { check, positiveInt, tf } from '@aml/core';

/** Causal weighting settings. */
export interface CausalConfig {
  /** Time chunks M (default 32, as jaxpi; 16 for KdV). */
  readonly chunks?: number;
  /** Causality parameter ε, or increasing values annealed through (default 1). */
  readonly epsilon?: number | readonly number[];
  /** Move to the next ε once the smallest weight exceeds δ (default 0.99). */
  readonly delta?: number;
}

/** Plain-data state of the causal weighting (for checkpoints). */
export interface CausalState {
  readonly epsilonIndex: number;
  readonly weights: number[] | null;
  readonly frozen: boolean;
}

/**
 * The causal weights w_i = exp(-ε Σ_{k<i} L_k) of chunk losses L (M) in time order.
 * @example causalWeights([1, 2, 3], 1) // [1, e^-1, e^-3] = [1, 0.367879, 0.049787]
 */
export function causalWeights(chunkLosses: ArrayLike<number>, epsilon: number): Float64Array {
  const w = new Float64Array(chunkLosses.length);
  let acc = 0;
  for (let i = 0; i < w.length; i++) {
    w[i] = Math.exp(-epsilon * acc);
    acc += chunkLosses[i];
  }
  return w;
}

/** (1/M) Σ w_i L_i in plain numbers (the value the tensor loss takes). */
export function causalLossValue(chunkLosses: ArrayLike<number>, epsilon: number): number {
  const w = causalWeights(chunkLosses, epsilon);
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * chunkLosses[i];
  return s / w.length;
}

/** Sizes of M consecutive blocks of N sorted points, differing by at most one (time quantiles). */
export function chunkSizes(n: number, m: number): number[] {
  if (n < m)
    throw new Error(
      `training.causal.chunks (${m}) must not exceed the residual points (${n}); lower chunks or raise points`,
    );
  return Array.from({ length: m }, (_, i) => Math.floor(((i + 1) * n) / m) - Math.floor((i * n) / m));
}

/**
 * Reorder points (N, d) by their coordinate `axis` (time), ascending; ties keep their order.
 * @returns a new tensor (N, d); the input is not disposed
 */
export function sortByAxis(points: tf.Tensor2D, axis: number): tf.Tensor2D {
  const [n, d] = points.shape;
  const v = points.dataSync();
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a * d + axis] - v[b * d + axis] || a - b);
  const out = new Float32Array(n * d);
  order.forEach((k, i) => out.set(v.subarray(k * d, (k + 1) * d), i * d));
  return tf.tensor2d(out, [n, d]);
}

/** Validate a causal config; errors name the field. */
export function checkCausalConfig(c: CausalConfig): void {
  check(positiveInt().optional(), c.chunks, 'training.causal.chunks');
  const eps = c.epsilon === undefined ? [1] : typeof c.epsilon === 'number' ? [c.epsilon] : c.epsilon;
  if (eps.length === 0) throw new Error('training.causal.epsilon must be a number or a non-empty list, got []');
  eps.forEach((e, i) => {
    if (!(Number.isFinite(e) && e >= 0))
      throw new Error(
        `training.causal.epsilon${typeof c.epsilon === 'number' ? '' : `[${i}]`} must be a finite number >= 0, got ${e}`,
      );
  });
  if (c.delta !== undefined && !(c.delta > 0 && c.delta <= 1))
    throw new Error(`training.causal.delta must be in (0, 1], got ${c.delta}`);
}

/**
 * The causal weighting of a run: turns squared residuals on time-sorted points into the weighted
 * loss, keeps the current ε and the last weights.
 */
export class CausalWeighting {
  readonly chunks: number;
  readonly delta: number;
  private readonly epsilons: readonly number[];
  private epsilonIndex = 0;
  /** Weights of the last evaluation (M), or null before the first. */
  weights: Float64Array | null = null;
  /** When frozen (the L-BFGS phase), the last weights are reused so the loss stays one function. */
  frozen = false;

  constructor(config: CausalConfig) {
    checkCausalConfig(config);
    this.chunks = config.chunks ?? 32;
    this.delta = config.delta ?? 0.99;
    this.epsilons =
      config.epsilon === undefined ? [1] : typeof config.epsilon === 'number' ? [config.epsilon] : [...config.epsilon];
  }

  /** Current ε. */
  get epsilon(): number {
    return this.epsilons[this.epsilonIndex];
  }

  /** Smallest weight of the last evaluation (NaN before the first). */
  get minWeight(): number {
    if (!this.weights) return NaN;
    let m = Infinity;
    for (const w of this.weights) m = Math.min(m, w);
    return m;
  }

  /**
   * Weighted loss of each equation from its squared residuals on time-sorted points.
   * @param squares per equation, (N, 1) summed over the equation's components, rows sorted by time
   * @param reuse take the last weights instead of computing new ones (per-term gradients)
   * @returns per equation the causal loss (with gradient) and its plain mean (a constant, for the history)
   */
  loss(squares: readonly tf.Tensor[], reuse = false): { weighted: tf.Scalar[]; plain: tf.Scalar[] } {
    const n = squares[0].shape[0];
    const sizes = chunkSizes(n, this.chunks);
    const even = n % this.chunks === 0;
    const chunkMeans = squares.map((sq) => {
      const flat = tf.reshape(sq, [n]); // (N)
      if (even) return tf.mean(tf.reshape(flat, [this.chunks, n / this.chunks]), 1); // (M)
      return tf.stack(tf.split(flat, sizes).map((c) => tf.mean(c))); // (M)
    });
    const values = tf.stack(chunkMeans).dataSync(); // (E, M), read during the forward pass
    const m = this.chunks;
    const total = new Float64Array(m);
    const plain = squares.map((_, e) => {
      let s = 0;
      for (let i = 0; i < m; i++) {
        total[i] += values[e * m + i];
        s += sizes[i] * values[e * m + i];
      }
      return tf.scalar(s / n);
    });
    if (!(reuse || this.frozen) || !this.weights || this.weights.length !== m)
      this.weights = causalWeights(total, this.epsilon);
    const w = tf.tensor1d(Float32Array.from(this.weights)); // (M), a constant of the gradient
    const weighted = chunkMeans.map((cm) => tf.mean(tf.mul(w, cm)) as tf.Scalar);
    return { weighted, plain };
  }

  /** After a step: move to the next ε when every weight exceeds δ. Returns true when ε changed. */
  anneal(): boolean {
    if (this.epsilonIndex + 1 < this.epsilons.length && this.minWeight > this.delta) {
      this.epsilonIndex++;
      return true;
    }
    return false;
  }

  getState(): CausalState {
    return {
      epsilonIndex: this.epsilonIndex,
      weights: this.weights ? Array.from(this.weights) : null,
      frozen: this.frozen,
    };
  }

  setState(s: CausalState): void {
    this.epsilonIndex = s.epsilonIndex;
    this.weights = s.weights ? Float64Array.from(s.weights) : null;
    this.frozen = s.frozen;
  }
}

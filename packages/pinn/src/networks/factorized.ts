/**
 * Dense layers, plain or with random weight factorization (RWF; Wang, Wang, Seidman &
 * Perdikaris 2022, "Random Weight Factorization Improves the Training of Continuous Neural
 * Representations", arXiv:2210.01274): W = V diag(g), one scale g_j per output column.
 *
 * Initialisation (jaxpi's `_weight_fact`): W0 ~ Glorot normal, g = exp(mu + sigma * eps)
 * with eps ~ N(0, 1) per column, V = W0 / g, so the layer equals the plain one at init.
 * Trained parameters are V and g itself (jaxpi's choice, with which its published errors
 * were obtained), not s = log g as the paper writes it; the two give different Adam steps.
 */
import { tf, type NetOps, type Rng } from '@aml/core';

/** RWF settings: g = exp(mu + sigma * N(0, 1)) per output column (jaxpi: mu 1 or 0.5, sigma 0.1). */
export interface FactorizedSpec {
  /** Mean of log g (default 1). */
  readonly mu?: number;
  /** Standard deviation of log g (default 0.1). */
  readonly sigma?: number;
}

/** A dense layer: its kernel (in, out) built from its variables, and its bias (out). */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** The kernel as a tensor: W, or V * g (broadcast over rows) when factorized. Call inside a tidy. */
  kernel(): tf.Tensor2D;
  readonly bias: tf.Variable;
  /** Set the kernel to W (in * out, row-major); a factorized layer keeps g and sets V = W / g. */
  setKernel(w: Float32Array): void;
}

/** Glorot-normal draws for an (i, o) kernel (std = sqrt(2 / (i + o))), row-major. */
export function glorotDraws(i: number, o: number, rng: Rng): Float32Array {
  return rng.normalArray(i * o, 0, Math.sqrt(2 / (i + o)));
}

/**
 * A dense layer registered in `params` as `${name}` (or `${name}_v`, `${name}_g` when
 * factorized) and its bias `${bias}`.
 */
export function createDense(
  params: Record<string, tf.Variable>,
  name: string,
  bias: string,
  i: number,
  o: number,
  rng: Rng,
  factorized?: FactorizedSpec,
): DenseLayer {
  const w0 = glorotDraws(i, o, rng);
  params[bias] = tf.tidy(() => tf.variable(tf.zeros([o]), true, undefined));
  const b = params[bias];
  if (!factorized) {
    const W = tf.tidy(() => tf.variable(tf.tensor2d(w0, [i, o])));
    params[name] = W;
    return {
      inputs: i,
      outputs: o,
      kernel: () => W as tf.Tensor2D,
      bias: b,
      setKernel: (w) => tf.tidy(() => W.assign(tf.tensor2d(w, [i, o]))),
    };
  }
  const mu = factorized.mu ?? 1;
  const sigma = factorized.sigma ?? 0.1;
  const g = Float32Array.from(rng.normalArray(o, mu, sigma), Math.exp);
  const v = w0.map((w, k) => w / g[k % o]);
  const V = tf.tidy(() => tf.variable(tf.tensor2d(v, [i, o])));
  const G = tf.tidy(() => tf.variable(tf.tensor1d(g)));
  params[`${name}_v`] = V;
  params[`${name}_g`] = G;
  const setKernel = (w: Float32Array) => {
    const gNow = G.dataSync();
    tf.tidy(() =>
      V.assign(
        tf.tensor2d(
          w.map((x, k) => x / gNow[k % o]),
          [i, o],
        ),
      ),
    );
  };
  return { inputs: i, outputs: o, kernel: () => tf.mul(V, G) as tf.Tensor2D, bias: b, setKernel };
}

/** x W + b over any algebra. x: (N, inputs) -> (N, outputs). */
export function applyDense<T>(ops: NetOps<T>, x: T, layer: DenseLayer): T {
  return ops.addBias(ops.matMul(x, layer.kernel()), layer.bias as tf.Tensor1D);
}

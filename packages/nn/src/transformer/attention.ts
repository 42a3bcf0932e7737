/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017):
 *   Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + M) V,   heads concatenated and mixed by W_O.
 * M is 0, or -1e9 above the diagonal for causal (autoregressive) attention.
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, checkShape, positiveInt } from '../layers/layer';
import { dense } from '../layers/dense';
import { softmax } from '../layers/activation';
import { collect } from '../layers/layer';

/** Configuration of multi-head attention. */
export interface AttentionConfig {
  /** Model width d_model (input and output features). */
  readonly dModel: number;
  /** Number of heads h; d_k = d_model / h. */
  readonly heads: number;
  /** Causal mask: position t attends to positions <= t only (default false). */
  readonly causal?: boolean;
  /** Name for error messages. */
  readonly name?: string;
}

/** Attention layer; `weights` returns the attention matrix (B, h, T, T) for inspection. */
export interface MultiHeadAttention extends Layer {
  weights(x: tf.Tensor): tf.Tensor4D;
}

/** Additive causal mask (T, T): 0 on and below the diagonal, -1e9 above. */
export function causalMask(T: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9) as tf.Tensor2D);
}

/**
 * Multi-head self-attention. Input (B, T, d_model) -> output (B, T, d_model).
 *
 * @example
 *   const att = multiHeadAttention({ dModel: 16, heads: 4, causal: true }, new Rng(0));
 *   att.apply(tf.zeros([2, 10, 16])).shape // [2, 10, 16]
 */
export function multiHeadAttention(config: AttentionConfig, rng: Rng): MultiHeadAttention {
  const name = `attention '${config.name ?? 'attention'}'`;
  const D = positiveInt(name, 'dModel', config.dModel);
  const h = positiveInt(name, 'heads', config.heads);
  if (D % h) throw new Error(`${name}: dModel ${D} must be divisible by heads ${h}`);
  const dk = D / h;
  const [q, k, v, o] = ['q', 'k', 'v', 'o'].map((s) =>
    dense({ inputSize: D, units: D, name: `${config.name ?? 'attention'}.${s}` }, rng),
  );
  // (B, T, D) -> (B, T, h, dk) -> (B, h, T, dk) -> (B*h, T, dk)
  const split = (x: tf.Tensor, B: number, T: number) =>
    x
      .reshape([B, T, h, dk])
      .transpose([0, 2, 1, 3])
      .reshape([B * h, T, dk]);
  const probs = (x: tf.Tensor) => {
    checkShape(name, x, [null, null, D], 'input (B, T, d_model)');
    const [B, T] = x.shape as [number, number, number];
    const Q = split(q.apply(x), B, T),
      K = split(k.apply(x), B, T);
    // explicit transpose then plain matMul: the transposeB flag is slow on WASM
    let s = tf.div(tf.matMul(Q as tf.Tensor3D, K.transpose([0, 2, 1]) as tf.Tensor3D), Math.sqrt(dk)); // (B*h, T, T)
    if (config.causal) s = tf.add(s, causalMask(T));
    return { P: softmax(s), B, T };
  };
  return {
    name,
    ...collect([q, k, v, o]),
    weights: (x) =>
      tf.tidy(() => {
        const { P, B, T } = probs(x);
        return P.reshape([B, h, T, T]) as tf.Tensor4D;
      }),
    apply(x) {
      return tf.tidy(() => {
        const { P, B, T } = probs(x);
        const V = split(v.apply(x), B, T);
        // (B*h, T, dk) -> (B, h, T, dk) -> (B, T, h, dk) -> (B, T, D)
        const ctx = tf
          .matMul(P as tf.Tensor3D, V as tf.Tensor3D)
          .reshape([B, h, T, dk])
          .transpose([0, 2, 1, 3])
          .reshape([B, T, D]);
        return o.apply(ctx);
      });
    },
  };
}

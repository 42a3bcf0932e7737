/**
 * Pre-LN transformer block (Xiong et al. 2020), as in the course's programs:
 *   x <- x + MHA(LN(x)),   x <- x + FFN(LN(x)),   FFN = W_2 GELU(W_1 x)
 * Pre-LN keeps gradients well scaled without a learning-rate warm-up.
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, collect } from '../layers/layer';
import { layerNorm } from '../layers/norm';
import { mlp } from '../layers/sequential';
import { dropout } from '../layers/dropout';
import { multiHeadAttention } from './attention';

/** Configuration of a transformer block. */
export interface BlockConfig {
  /** Model width d_model. */
  readonly dModel: number;
  /** Attention heads. */
  readonly heads: number;
  /** Hidden width of the position-wise FFN (default 4 d_model). */
  readonly ffn?: number;
  /** Causal self-attention (decoder) (default false). */
  readonly causal?: boolean;
  /** Dropout on each residual branch in training (default 0). */
  readonly dropout?: number;
  /** Name for error messages. */
  readonly name?: string;
}

/** Pre-LN block. (B, T, d_model) -> (B, T, d_model). */
export function transformerBlock(config: BlockConfig, rng: Rng): Layer {
  const n = config.name ?? 'block';
  const D = config.dModel;
  const ln1 = layerNorm({ features: D, name: `${n}.ln1` });
  const ln2 = layerNorm({ features: D, name: `${n}.ln2` });
  const att = multiHeadAttention(
    { dModel: D, heads: config.heads, causal: config.causal, name: `${n}.attention` },
    rng,
  );
  const ffn = mlp(
    { sizes: [D, config.ffn ?? 4 * D, D], activation: 'gelu', init: 'glorotNormal', name: `${n}.ffn` },
    rng,
  );
  const drop = dropout({ rate: config.dropout ?? 0, name: `${n}.dropout` }, rng);
  return {
    name: `transformerBlock '${n}'`,
    ...collect([ln1, att, ln2, ffn]),
    apply(x, o) {
      return tf.tidy(() => {
        const h = tf.add(x, drop.apply(att.apply(ln1.apply(x)), o));
        return tf.add(h, drop.apply(ffn.apply(ln2.apply(h)), o));
      });
    },
  };
}

/**
 * Transformer encoder for sequences or lattices of feature vectors, with a per-token head
 * (operator learning: one output per grid point) or a pooled head (one output per sequence).
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, collect, checkShape, positiveInt } from '../layers/layer';
import { dense } from '../layers/dense';
import { layerNorm } from '../layers/norm';
import { transformerBlock } from './block';
import { sinusoidalEncoding1d, sinusoidalEncoding2d } from './position';

/** Configuration of the encoder. */
export interface EncoderConfig {
  /** Features per token (e.g. 2 for [x_i, f_i]). */
  readonly inputSize: number;
  /** Model width. */
  readonly dModel: number;
  /** Heads per block. */
  readonly heads: number;
  /** Number of blocks. */
  readonly layers: number;
  /** FFN width (default 4 dModel). */
  readonly ffn?: number;
  /** Outputs per token ('token' head) or per sequence ('pooled' head). */
  readonly outputSize: number;
  /** 'token': (B, T, out); 'pooled': mean over tokens then dense, (B, out). */
  readonly head: 'token' | 'pooled';
  /** Position encoding added after the input projection: 'none', '1d', or '2d' with `lattice`. Default '1d'. */
  readonly positions?: 'none' | '1d' | '2d';
  /** Lattice size [H, W] for '2d' encodings (tokens are the H*W sites, row-major). */
  readonly lattice?: readonly [number, number];
  /** Dropout in the blocks (default 0). */
  readonly dropout?: number;
}

/**
 * Encoder: (B, T, inputSize) -> (B, T, outputSize) or (B, outputSize).
 *
 * @example
 *   const op = transformerEncoder({ inputSize: 2, dModel: 32, heads: 4, layers: 2, outputSize: 1, head: 'token' }, new Rng(0));
 */
export function transformerEncoder(config: EncoderConfig, rng: Rng): Layer {
  const name = 'transformerEncoder';
  positiveInt(name, 'layers', config.layers);
  if ((config.positions === '2d') !== Boolean(config.lattice))
    throw new Error(`${name}: positions '2d' needs lattice [H, W] (and lattice needs positions '2d')`);
  const D = config.dModel;
  const inProj = dense({ inputSize: config.inputSize, units: D, name: 'encoder.in' }, rng);
  const blocks = Array.from({ length: config.layers }, (_, l) =>
    transformerBlock(
      { dModel: D, heads: config.heads, ffn: config.ffn, dropout: config.dropout, name: `encoder.block${l}` },
      rng,
    ),
  );
  const lnF = layerNorm({ features: D, name: 'encoder.lnF' });
  const out = dense({ inputSize: D, units: config.outputSize, name: 'encoder.head' }, rng);
  const pe = (T: number) => {
    const p = config.positions ?? '1d';
    if (p === 'none') return null;
    if (p === '1d') return sinusoidalEncoding1d(T, D);
    const [H, W] = config.lattice!;
    if (H * W !== T) throw new Error(`${name}: lattice ${H}x${W} has ${H * W} sites but the input has ${T} tokens`);
    return sinusoidalEncoding2d(H, W, D);
  };
  return {
    name,
    ...collect([inProj, ...blocks, lnF, out]),
    apply(x, o) {
      checkShape(name, x, [null, null, config.inputSize], 'input (B, T, features)');
      return tf.tidy(() => {
        let h = inProj.apply(x);
        const p = pe(x.shape[1]!);
        if (p) h = tf.add(h, p);
        for (const b of blocks) h = b.apply(h, o);
        h = lnF.apply(h);
        return config.head === 'token' ? out.apply(h) : out.apply(tf.mean(h, 1));
      });
    },
  };
}

/**
 * A translation-equivariant noise predictor for fields on a periodic lattice (Ising spins, lattice
 * field theory): a residual stack of periodic 3x3 convolutions (no down-sampling, the lattices are
 * small), the time embedding added per channel in every block, and optionally a global channel
 * mean per block, which tells each site the lattice's overall magnetisation (a 3x3 stack alone needs
 * ~L/2 blocks to see across the lattice, and the ordered phase's sign is a global choice).
 * Every operation commutes with cyclic shifts, so the learned density is shift-invariant as the
 * Boltzmann distribution with periodic boundaries is.
 */
import { tf, type Rng } from '@aml/core';
import { dense, type Layer } from '@aml/nn';
import { circularConv2d } from './circular';
import { timeEmbedding, type Denoiser } from './denoiser';

/** Lattice denoiser settings. */
export interface LatticeDenoiserConfig {
  /** Field components per site C (1 for Ising spins; default 1). */
  readonly channels?: number;
  /** Hidden channels per site (default 32). */
  readonly width?: number;
  /** Residual blocks, two periodic convolutions each (default 3). */
  readonly blocks?: number;
  /** Odd kernel size of every convolution (default 3). */
  readonly kernelSize?: number;
  /** Sinusoidal time-embedding size (even, default 32). */
  readonly embeddingSize?: number;
  /** Add a projection of the lattice mean of the block input to every site (default true). */
  readonly globalMean?: boolean;
}

const silu = (x: tf.Tensor) => x.mul(tf.sigmoid(x));

/** h + conv2(silu(conv1(silu(h)) + P emb + G mean(silu(h)))): (B, L, L, w) -> (B, L, L, w). */
function block(w: number, e: number, F: number, global: boolean, rng: Rng, name: string) {
  const c1 = circularConv2d({ inChannels: w, filters: w, kernelSize: F, name: `${name}.c1` }, rng);
  // zero-initialised second convolution: each block starts as the identity (a stable deep start)
  const c2 = circularConv2d({ inChannels: w, filters: w, kernelSize: F, init: 'zeros', name: `${name}.c2` }, rng);
  const t = dense({ inputSize: e, units: w, name: `${name}.t` }, rng);
  const g: Layer | null = global ? dense({ inputSize: w, units: w, useBias: false, name: `${name}.g` }, rng) : null;
  return {
    params: [c1, c2, t, ...(g ? [g] : [])].flatMap((l) => l.params),
    apply: (h: tf.Tensor4D, emb: tf.Tensor2D): tf.Tensor4D =>
      tf.tidy(() => {
        const B = h.shape[0];
        const a = silu(h);
        let y = c1.apply(a).add(t.apply(emb).reshape([B, 1, 1, w])); // time as a per-channel bias
        if (g) y = y.add(g.apply(a.mean([1, 2])).reshape([B, 1, 1, w])); // (B, w) lattice mean -> every site
        return h.add(c2.apply(silu(y))) as tf.Tensor4D;
      }),
  };
}

/**
 * Periodic residual conv net predicting eps: x (B, L, L, C) and steps t (B) -> (B, L, L, C).
 * Any L works (the same weights on 8x8 and 16x16); a rolled input gives the rolled output.
 * @example
 *   const net = latticeDenoiser({ width: 32, blocks: 3 }, new Rng(0));
 *   const eps = net.predict(tf.zeros([4, 8, 8, 1]), tf.tensor1d([0, 1, 2, 3])); // (4, 8, 8, 1)
 */
export function latticeDenoiser(config: LatticeDenoiserConfig, rng: Rng): Denoiser {
  const C = config.channels ?? 1,
    w = config.width ?? 32,
    K = config.blocks ?? 3,
    F = config.kernelSize ?? 3;
  const e = config.embeddingSize ?? 32;
  for (const [k, v] of [
    ['channels', C],
    ['width', w],
    ['blocks', K],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new Error(`latticeDenoiser: ${k} must be an integer >= 1, got ${v}`);
  }
  const embMlp = dense({ inputSize: e, units: e, activation: 'silu', name: 'lattice.emb' }, rng);
  const inConv = circularConv2d({ inChannels: C, filters: w, kernelSize: F, name: 'lattice.in' }, rng);
  const blocks = Array.from({ length: K }, (_, k) =>
    block(w, e, F, config.globalMean ?? true, rng, `lattice.block${k}`),
  );
  const outConv = circularConv2d({ inChannels: w, filters: C, kernelSize: F, name: 'lattice.out' }, rng);
  return {
    params: [...embMlp.params, ...inConv.params, ...blocks.flatMap((b) => b.params), ...outConv.params],
    predict: (x, t) =>
      tf.tidy(() => {
        if (x.rank !== 4 || x.shape[3] !== C) {
          throw new Error(
            `latticeDenoiser: input must be (B, L, L, ${C}), got (${x.shape.join(', ')}); reshape flat spins (B, L*L) with x.reshape([B, L, L, 1])`,
          );
        }
        const emb = embMlp.apply(timeEmbedding(t, e)) as tf.Tensor2D; // (B, e)
        const h = blocks.reduce((h, b) => b.apply(h, emb), inConv.apply(x) as tf.Tensor4D); // (B, L, L, w)
        return outConv.apply(silu(h)); // (B, L, L, C)
      }),
  };
}

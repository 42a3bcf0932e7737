/**
 * A small U-Net noise predictor for DDPM on images (Ronneberger et al. 2015; Ho et al. 2020):
 * one down level and one up level with a skip connection, residual blocks of
 * GroupNorm -> SiLU -> 3x3 conv (course: GroupNorm(8), SiLU), and the sinusoidal time embedding
 * projected and added inside every block. Images (B, S, S, C), S even.
 */
import { tf, type Rng } from '@aml/core';
import { conv2d, convTranspose2d, dense, type Layer } from '@aml/nn';
import { groupNorm } from '../convnets/blocks';
import { timeEmbedding, type Denoiser } from './denoiser';

/** U-Net settings. */
export interface UnetConfig {
  /** Image channels C (default 1). */
  readonly channels?: number;
  /** Base width w (the lower level has 2w; default 32, divisible by `groups`). */
  readonly width?: number;
  /** GroupNorm groups (default 8). */
  readonly groups?: number;
  /** Time-embedding size (even, default 64). */
  readonly embeddingSize?: number;
}

/** Residual block: h + conv(silu(gn(conv(silu(gn(h))) + proj(emb)))), channels cin -> cout. */
function resBlock(cin: number, cout: number, e: number, groups: number, rng: Rng, name: string) {
  const n1 = groupNorm(cin, Math.min(groups, cin));
  const c1 = conv2d({ inChannels: cin, filters: cout, kernelSize: 3, padding: 'same', name: `${name}.c1` }, rng);
  const t = dense({ inputSize: e, units: cout, name: `${name}.t` }, rng);
  const n2 = groupNorm(cout, Math.min(groups, cout));
  const c2 = conv2d({ inChannels: cout, filters: cout, kernelSize: 3, padding: 'same', name: `${name}.c2` }, rng);
  const skip: Layer | null =
    cin === cout ? null : conv2d({ inChannels: cin, filters: cout, kernelSize: 1, name: `${name}.skip` }, rng);
  const params = [n1, c1, t, n2, c2, ...(skip ? [skip] : [])].flatMap((l) => l.params);
  return {
    params,
    apply: (h: tf.Tensor, emb: tf.Tensor2D) =>
      tf.tidy(() => {
        const a = n1.apply(h);
        let y = c1.apply(a.mul(tf.sigmoid(a))); // SiLU(GN(h)) then conv
        y = y.add(t.apply(emb).reshape([emb.shape[0], 1, 1, cout])); // time conditioning
        const n = n2.apply(y);
        y = c2.apply(n.mul(tf.sigmoid(n)));
        return (skip ? skip.apply(h) : h).add(y);
      }),
  };
}

/**
 * @example
 *   const net = smallUnet({ width: 32 }, new Rng(0));
 *   const eps = net.predict(x, t); // x (B, 16, 16, 1), t (B) -> (B, 16, 16, 1)
 */
export function smallUnet(config: UnetConfig, rng: Rng): Denoiser {
  const C = config.channels ?? 1,
    w = config.width ?? 32,
    G = config.groups ?? 8,
    e = config.embeddingSize ?? 64;
  if (w % G !== 0) throw new Error(`smallUnet: width (${w}) must be divisible by groups (${G})`);
  const embMlp = dense({ inputSize: e, units: e, activation: 'silu', name: 'unet.emb' }, rng);
  const inConv = conv2d({ inChannels: C, filters: w, kernelSize: 3, padding: 'same', name: 'unet.in' }, rng);
  const down = resBlock(w, w, e, G, rng, 'unet.down');
  const pool = conv2d(
    { inChannels: w, filters: 2 * w, kernelSize: 4, strides: 2, padding: 'same', name: 'unet.pool' },
    rng,
  ); // S -> S/2
  const mid = resBlock(2 * w, 2 * w, e, G, rng, 'unet.mid');
  const upConv = convTranspose2d(
    { inChannels: 2 * w, filters: w, kernelSize: 4, strides: 2, padding: 'same', name: 'unet.upsample' },
    rng,
  ); // S/2 -> S
  const up = resBlock(2 * w, w, e, G, rng, 'unet.up'); // after concatenating the skip: 2w channels
  const outNorm = groupNorm(w, G);
  const outConv = conv2d({ inChannels: w, filters: C, kernelSize: 3, padding: 'same', name: 'unet.out' }, rng);
  const params = [
    ...embMlp.params,
    ...inConv.params,
    ...down.params,
    ...pool.params,
    ...mid.params,
    ...upConv.params,
    ...up.params,
    ...outNorm.params,
    ...outConv.params,
  ];
  return {
    params,
    predict: (x, t) =>
      tf.tidy(() => {
        if (x.rank !== 4 || x.shape[1]! % 2 !== 0)
          throw new Error(`smallUnet: input must be (B, S, S, ${C}) with S even, got (${x.shape.join(', ')})`);
        const emb = embMlp.apply(timeEmbedding(t, e)) as tf.Tensor2D; // (B, e)
        const h0 = down.apply(inConv.apply(x), emb); // (B, S, S, w)
        const h1 = mid.apply(pool.apply(h0), emb); // (B, S/2, S/2, 2w)
        const u = up.apply(tf.concat([upConv.apply(h1), h0], 3), emb); // (B, S, S, w)
        const n = outNorm.apply(u);
        return outConv.apply(n.mul(tf.sigmoid(n))); // (B, S, S, C)
      }),
  };
}

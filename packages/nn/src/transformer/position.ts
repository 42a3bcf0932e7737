/**
 * Sinusoidal position encodings (Vaswani et al. 2017), in 1D and on a 2D lattice.
 *   PE(p, 2i) = sin(p / 10000^{2i/d}),   PE(p, 2i+1) = cos(p / 10000^{2i/d})
 * In 2D the first d/2 channels encode the row and the last d/2 the column (as in the course's
 * Ising transformer).
 */
import { tf } from '@aml/core';

function encodeInto(out: Float32Array, offset: number, p: number, d: number, base: number): void {
  for (let i = 0; i < d / 2; i++) {
    const w = p / Math.pow(base, (2 * i) / d);
    out[offset + 2 * i] = Math.sin(w);
    out[offset + 2 * i + 1] = Math.cos(w);
  }
}

/**
 * 1D encoding for positions 0..T-1, or for the given (possibly real-valued) positions: (T, d).
 * @param d even model width.
 * @param base the wavelength scale (default 10000).
 */
export function sinusoidalEncoding1d(T: number | ArrayLike<number>, d: number, base = 10000): tf.Tensor2D {
  if (d % 2) throw new Error(`sinusoidalEncoding1d: d must be even, got ${d}`);
  const pos = typeof T === 'number' ? Array.from({ length: T }, (_, i) => i) : Array.from(T);
  const out = new Float32Array(pos.length * d);
  pos.forEach((p, t) => encodeInto(out, t * d, p, d, base));
  return tf.tensor2d(out, [pos.length, d]);
}

/** 2D lattice encoding: (H*W, d) for row-major sites (r, c); d must be divisible by 4. */
export function sinusoidalEncoding2d(H: number, W: number, d: number, base = 10000): tf.Tensor2D {
  if (d % 4) throw new Error(`sinusoidalEncoding2d: d must be divisible by 4, got ${d}`);
  const out = new Float32Array(H * W * d);
  for (let r = 0; r < H; r++)
    for (let c = 0; c < W; c++) {
      const o = (r * W + c) * d;
      encodeInto(out, o, r, d / 2, base);
      encodeInto(out, o + d / 2, c, d / 2, base);
    }
  return tf.tensor2d(out, [H * W, d]);
}

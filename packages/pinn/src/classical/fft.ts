/**
 * A radix-2 complex fast Fourier transform in float64 (iterative Cooley-Tukey, decimation in
 * time), for the spectral solvers: a few dozen lines are enough, so no library.
 */

/** True when n is a power of two (1, 2, 4, ...). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/**
 * In-place DFT of (re, im), each (n) with n a power of two:
 *   X_k = sum_j x_j exp(-2 pi i j k / n)          (forward),
 *   x_j = (1/n) sum_k X_k exp(+2 pi i j k / n)    (inverse = true, scaled by 1/n).
 *
 * @example
 *   const re = Float64Array.of(1, 2, 3, 4), im = new Float64Array(4);
 *   fft(re, im); // re = [10, -2, -2, -2], im = [0, 2, 0, -2] (to rounding)
 */
interface Plan {
  readonly rev: Uint32Array;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}
const plans = new Map<number, Plan>();

/** Bit-reversal permutation and twiddles e^{-2 pi i k / n}, k < n/2, computed once per length. */
function plan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  const bits = Math.round(Math.log2(n));
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  // Twiddles from cos/sin directly (not by recurrence) keep the error at rounding level.
  const cos = Float64Array.from({ length: n / 2 }, (_, k) => Math.cos((2 * Math.PI * k) / n));
  const sin = Float64Array.from({ length: n / 2 }, (_, k) => -Math.sin((2 * Math.PI * k) / n));
  p = { rev, cos, sin };
  plans.set(n, p);
  return p;
}

/**
 * In-place DFT of (re, im), each (n) with n a power of two:
 *   X_k = sum_j x_j exp(-2 pi i j k / n)          (forward),
 *   x_j = (1/n) sum_k X_k exp(+2 pi i j k / n)    (inverse = true, scaled by 1/n).
 *
 * @example
 *   const re = Float64Array.of(1, 2, 3, 4), im = new Float64Array(4);
 *   fft(re, im); // re = [10, -2, -2, -2], im = [0, 2, 0, -2] (to rounding)
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n) throw new Error(`fft: re and im need the same length, got ${n} and ${im.length}`);
  if (!isPowerOfTwo(n))
    throw new Error(
      `fft: length must be a power of two, got ${n}; pad or choose n = ${2 ** Math.ceil(Math.log2(Math.max(1, n)))}`,
    );
  const { rev, cos, sin } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (i < j) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  const sign = inverse ? -1 : 1;
  // Length-2 butterflies (twiddle 1) first, then block by block so twiddles and data are read in order.
  for (let i = 0; i + 1 < n; i += 2) {
    const tr = re[i + 1];
    const ti = im[i + 1];
    re[i + 1] = re[i] - tr;
    im[i + 1] = im[i] - ti;
    re[i] += tr;
    im[i] += ti;
  }
  for (let len = 4; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = n / len;
    for (let i0 = 0; i0 < n; i0 += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride];
        const wi = sign * sin[k * stride];
        const i = i0 + k;
        const j = i + half;
        const tr = re[j] * wr - im[j] * wi;
        const ti = re[j] * wi + im[j] * wr;
        re[j] = re[i] - tr;
        im[j] = im[i] - ti;
        re[i] += tr;
        im[i] += ti;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
  }
}

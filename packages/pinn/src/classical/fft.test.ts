import { Rng } from '@aml/core';
import { fft, isPowerOfTwo } from './fft';

/** The O(n^2) DFT, the oracle. */
function dft(re: Float64Array, im: Float64Array, inverse = false): [Float64Array, Float64Array] {
  const n = re.length;
  const s = inverse ? 1 : -1;
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const a = (s * 2 * Math.PI * ((j * k) % n)) / n;
      or[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      oi[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    if (inverse) [or[k], oi[k]] = [or[k] / n, oi[k] / n];
  }
  return [or, oi];
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('fft (radix-2, float64)', () => {
  it.each([1, 2, 4, 8, 64, 256])('matches the direct DFT to 1e-12 for n = %i, both directions', (n) => {
    const rng = new Rng(n);
    const re = Float64Array.from({ length: n }, () => rng.normal());
    const im = Float64Array.from({ length: n }, () => rng.normal());
    for (const inverse of [false, true]) {
      const [dr, di] = dft(re, im, inverse);
      const [fr, fi] = [Float64Array.from(re), Float64Array.from(im)];
      fft(fr, fi, inverse);
      expect(Math.max(maxDiff(fr, dr), maxDiff(fi, di))).toBeLessThan(1e-12 * Math.max(1, n / 16));
    }
  });

  it('the inverse undoes the forward transform to 1e-15 and the hand example holds', () => {
    const rng = new Rng(3);
    const re = Float64Array.from({ length: 1024 }, () => rng.uniform());
    const im = Float64Array.from({ length: 1024 }, () => rng.uniform());
    const [r, i] = [Float64Array.from(re), Float64Array.from(im)];
    fft(r, i);
    fft(r, i, true);
    expect(Math.max(maxDiff(r, re), maxDiff(i, im))).toBeLessThan(1e-15);
    const hr = Float64Array.of(1, 2, 3, 4);
    const hi = new Float64Array(4);
    fft(hr, hi);
    [10, -2, -2, -2].forEach((v, k) => expect(hr[k]).toBeCloseTo(v, 14));
    [0, 2, 0, -2].forEach((v, k) => expect(hi[k]).toBeCloseTo(v, 14));
  });

  it('refuses a length that is not a power of two, naming the next one', () => {
    expect(isPowerOfTwo(512)).toBe(true);
    expect(isPowerOfTwo(12)).toBe(false);
    expect(() => fft(new Float64Array(12), new Float64Array(12))).toThrow(
      'fft: length must be a power of two, got 12; pad or choose n = 16',
    );
    expect(() => fft(new Float64Array(4), new Float64Array(2))).toThrow(
      'fft: re and im need the same length, got 4 and 2',
    );
  });
});

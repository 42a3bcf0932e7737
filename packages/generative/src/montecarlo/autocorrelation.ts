/**
 * Autocorrelation of a Markov chain, its integrated autocorrelation time with Sokal's
 * automatic window, and the effective sample size n / tau (Sokal 1997, "Monte Carlo
 * methods in statistical mechanics"; also emcee's `integrated_time`).
 */
import { check, positiveInt } from '@aml/core';

function centred(x: ArrayLike<number>): { c: Float64Array; var0: number } {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  const c = new Float64Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    c[i] = x[i] - m;
    v += c[i] * c[i];
  }
  return { c, var0: v / n };
}

/**
 * Normalised autocorrelation rho(t) = C(t) / C(0) for t = 0..maxLag of a scalar series, shape (n).
 * @returns shape (maxLag + 1); rho(0) = 1. A constant series gives rho = 1 at lag 0 and 0 elsewhere.
 */
export function autocorrelation(x: ArrayLike<number>, maxLag = Math.min(x.length - 1, 1000)): Float64Array {
  const n = x.length;
  if (n < 2) throw new Error(`autocorrelation: need at least 2 values, got ${n}`);
  const L = Math.min(maxLag, n - 1);
  const { c, var0 } = centred(x);
  const rho = new Float64Array(L + 1);
  rho[0] = 1;
  if (var0 === 0) return rho;
  for (let t = 1; t <= L; t++) {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += c[i] * c[i + t];
    rho[t] = s / n / var0;
  }
  return rho;
}

/**
 * Integrated autocorrelation time tau = 1 + 2 sum_{t=1}^{M} rho(t), with the smallest window
 * M >= c * tau(M) (Sokal). For an AR(1) chain with coefficient phi, tau = (1 + phi) / (1 - phi).
 * @param x  scalar series, shape (n); @param c  window factor (default 5).
 */
export function integratedAutocorrelationTime(x: ArrayLike<number>, c = 5): number {
  const n = x.length;
  if (n < 2) throw new Error(`integratedAutocorrelationTime: need at least 2 values, got ${n}`);
  const { c: y, var0 } = centred(x);
  if (var0 === 0) return 1;
  let tau = 1;
  for (let t = 1; t < n; t++) {
    let s = 0;
    for (let i = 0; i + t < n; i++) s += y[i] * y[i + t];
    tau += (2 * s) / n / var0;
    if (t >= c * tau) return Math.max(tau, 1e-12);
  }
  return tau; // window never closed: the chain is too short for a reliable estimate
}

/** Effective sample size n / tau of a scalar series, shape (n). */
export function effectiveSampleSize(x: ArrayLike<number>, c = 5): number {
  return x.length / integratedAutocorrelationTime(x, c);
}

/** Column `j` of a row-major (n, d) array, shape (n). */
export function column(samples: ArrayLike<number>, d: number, j: number): Float64Array {
  const n = Math.floor(samples.length / d);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = samples[i * d + j];
  return out;
}

/**
 * Drop the first `burnIn` rows and keep every `every`-th row of a row-major (n, d) array.
 * @returns shape (ceil((n - burnIn) / every), d).
 */
export function thinChain(samples: ArrayLike<number>, d: number, burnIn = 0, every = 1): Float64Array {
  check(positiveInt(), every, 'thinChain: every');
  const n = Math.floor(samples.length / d);
  if (!(burnIn >= 0 && burnIn < n)) throw new Error(`thinChain: burnIn must be in [0, ${n}), got ${burnIn}`);
  const rows: number[] = [];
  for (let i = burnIn; i < n; i += every) rows.push(i);
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, k) => {
    for (let j = 0; j < d; j++) out[k * d + j] = samples[r * d + j];
  });
  return out;
}

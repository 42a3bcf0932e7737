/**
 * Periodic 1D evolution equations u_t = L u + N(x, u, u_x, u_xx) by the Fourier pseudo-spectral
 * method in space and ETDRK4 in time (Kassam & Trefethen 2005): L is linear with constant
 * coefficients (diagonal in Fourier space, treated exactly), N is evaluated on the grid and
 * transformed back, with the top third of its modes zeroed (Orszag's 2/3 rule) against aliasing.
 * Allen-Cahn, Korteweg-de Vries, Kuramoto-Sivashinsky and viscous Burgers fit this form.
 */
import { check as checkOption, positiveNumber } from '@aml/core';
import { etdrk4Coefficients, etdrk4Step, type ComplexArray, type Etdrk4Coefficients } from './etdrk4';
import { fft, isPowerOfTwo } from './fft';
import type { SpaceTimeField } from './method-of-lines';

/** Settings of `periodicSpectral`. */
export interface PeriodicSpectralSetup {
  /** Coefficients c_k of the linear part L u = sum_k c_k d^k u / dx^k, k = 0..4; e.g. KdV [0, 0, 0, -0.0025]. */
  readonly linear: readonly number[];
  /** N on the grid: x, u, u_x, u_xx, each (n) -> (n). Derivatives above `nonlinearOrder` are passed as empty arrays. */
  readonly nonlinear: (x: Float64Array, u: Float64Array, ux: Float64Array, uxx: Float64Array) => Float64Array;
  /** Highest x-derivative N reads: 0, 1 or 2 (default 2); fewer derivatives, fewer transforms. */
  readonly nonlinearOrder?: 0 | 1 | 2;
  /** u(x, t0) on the grid (n) -> (n). */
  readonly initial: (x: Float64Array) => Float64Array;
  /** Period [a, b): the grid is x_j = a + j (b - a) / n, j = 0..n-1. */
  readonly interval: readonly [number, number];
  /** Start time. */
  readonly t0: number;
  /** Grid points = Fourier modes, a power of two. */
  readonly n: number;
  /** Time step (the last step to each requested time is shortened to land on it). */
  readonly dt: number;
  /** Zero the modes |m| > n/3 of N (default true). */
  readonly dealias?: boolean;
}

/** The solver's state: u's Fourier coefficients at each time computed so far. */
export interface PeriodicSpectralSolution {
  /** u at points: rows (x, t) of a (N, 2) row-major array -> (N); spectral (trigonometric) interpolation in x. */
  readonly evaluate: SpaceTimeField;
  /** The grid (n) and u on it at time t (n). */
  readonly x: Float64Array;
  at(t: number): Float64Array;
}

/** The per-mode wavenumbers: k (Nyquist mode zeroed, for odd derivatives), -k^2 (second derivative), and the symbol of L. */
function symbols(s: PeriodicSpectralSetup): { k1: Float64Array; k2: Float64Array; L: ComplexArray } {
  const n = s.n;
  const k0 = (2 * Math.PI) / (s.interval[1] - s.interval[0]);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const L = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let j = 0; j < n; j++) {
    const m = j < n / 2 ? j : j - n;
    const k = k0 * m;
    const nyquist = j === n / 2;
    k1[j] = nyquist ? 0 : k;
    k2[j] = -k * k;
    // (i k)^p: p = 0 -> 1, 1 -> i k, 2 -> -k^2, 3 -> -i k^3, 4 -> k^4; odd powers vanish at Nyquist so u stays real.
    const c = s.linear;
    L.re[j] = (c[0] ?? 0) - (c[2] ?? 0) * k * k + (c[4] ?? 0) * k ** 4;
    L.im[j] = nyquist ? 0 : (c[1] ?? 0) * k - (c[3] ?? 0) * k ** 3;
  }
  return { k1, k2, L };
}

function check(s: PeriodicSpectralSetup): void {
  const [a, b] = s.interval;
  if (!(b > a)) throw new Error(`periodicSpectral: interval [${a}, ${b}] is empty`);
  if (!isPowerOfTwo(s.n) || s.n < 8) throw new Error(`periodicSpectral: n must be a power of two >= 8, got ${s.n}`);
  checkOption(positiveNumber(), s.dt, 'periodicSpectral: dt');
  if (s.linear.length > 5)
    throw new Error(`periodicSpectral: linear has ${s.linear.length} coefficients; give at most 5 (orders 0..4)`);
}

/**
 * Solve on demand: times are stepped from t0 with steps dt on the grid t0 + k dt, then one
 * shorter step to the time asked for, so u(., t) does not depend on which other times were asked.
 *
 * @example
 *   // KdV u_t + u u_x + 0.0025 u_xxx = 0, u0 = cos(pi x), periodic on [-1, 1]
 *   const kdv = periodicSpectral({ linear: [0, 0, 0, -0.0025], nonlinear: (_x, u, ux) => u.map((v, j) => -v * ux[j]), nonlinearOrder: 1,
 *     initial: (x) => x.map((v) => Math.cos(Math.PI * v)), interval: [-1, 1], t0: 0, n: 512, dt: 1e-4 });
 *   kdv.evaluate(Float64Array.of(0.3, 1)); // u(0.3, 1)
 */
export function periodicSpectral(s: PeriodicSpectralSetup): PeriodicSpectralSolution {
  check(s);
  const n = s.n;
  const [a, b] = s.interval;
  const x = Float64Array.from({ length: n }, (_, j) => a + (j * (b - a)) / n);
  const { k1, k2, L } = symbols(s);
  const order = s.nonlinearOrder ?? 2;
  const cut = s.dealias === false ? Infinity : n / 3;
  // Two real fields in one inverse transform: ifft(A + i B) = a + i b when a, b are real.
  // u + i u_x = ifft((1 - k) v), since i times u_x's spectrum i k v is -k v.
  const uAndUx = (v: ComplexArray): [Float64Array, Float64Array] => {
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      re[j] = (1 - k1[j]) * v.re[j];
      im[j] = (1 - k1[j]) * v.im[j];
    }
    fft(re, im, true);
    return [re, im];
  };
  // u + i u_xx = ifft((1 - i k^2) v), since i times u_xx's spectrum -k^2 v is -i k^2 v.
  const uAndUxx = (v: ComplexArray): [Float64Array, Float64Array] => {
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      re[j] = v.re[j] - k2[j] * v.im[j];
      im[j] = v.im[j] + k2[j] * v.re[j];
    }
    fft(re, im, true);
    return [re, im];
  };
  const empty = new Float64Array(0);
  const nonlinear = (v: ComplexArray): ComplexArray => {
    const [u, ux] = order >= 1 ? uAndUx(v) : [uAndUx(v)[0], empty];
    const uxx = order >= 2 ? uAndUxx(v)[1] : empty;
    const re = Float64Array.from(s.nonlinear(x, u, ux, uxx)); // a copy: fft works in place
    if (re.length !== n)
      throw new Error(`periodicSpectral: nonlinear returned ${re.length} values for ${n} grid points`);
    const im = new Float64Array(n);
    fft(re, im);
    for (let j = 0; j < n; j++) {
      const m = j < n / 2 ? j : n - j;
      if (m > cut) re[j] = im[j] = 0;
    }
    return { re, im };
  };
  const coeffs = new Map<number, Etdrk4Coefficients>();
  const coefficients = (h: number) => {
    let c = coeffs.get(h);
    if (!c) coeffs.set(h, (c = etdrk4Coefficients(L, h)));
    return c;
  };
  const u0 = Float64Array.from(s.initial(x));
  const v0 = { re: u0, im: new Float64Array(n) };
  fft(v0.re, v0.im);
  const done = new Map<number, ComplexArray>([[s.t0, v0]]);
  // The running state on the grid t0 + k dt.
  let main: { k: number; v: ComplexArray } = { k: 0, v: v0 };
  const spectrum = (t: number): ComplexArray => {
    const hit = done.get(t);
    if (hit) return hit;
    if (t < s.t0) throw new Error(`periodicSpectral: time ${t} is before the start t0 = ${s.t0}`);
    const k = Math.floor((t - s.t0) / s.dt + 1e-9);
    if (k < main.k) main = { k: 0, v: v0 };
    while (main.k < k) main = { k: main.k + 1, v: etdrk4Step(main.v, nonlinear, coefficients(s.dt)) };
    const rest = t - (s.t0 + k * s.dt);
    const v = rest > 1e-13 * Math.max(1, Math.abs(t)) ? etdrk4Step(main.v, nonlinear, coefficients(rest)) : main.v;
    done.set(t, v);
    return v;
  };
  const at = (t: number): Float64Array => {
    const v = spectrum(t);
    const re = Float64Array.from(v.re);
    fft(re, Float64Array.from(v.im), true);
    return re;
  };
  const evaluate: SpaceTimeField = (points) => {
    const times = [...new Set(Array.from({ length: points.length / 2 }, (_, i) => points[2 * i + 1]))].sort(
      (p, q) => p - q,
    );
    for (const t of times) spectrum(t);
    const out = new Float64Array(points.length / 2);
    for (let i = 0; i < out.length; i++)
      out[i] = interpolate(done.get(points[2 * i + 1])!, (2 * Math.PI * (points[2 * i] - a)) / (b - a));
    return out;
  };
  return { evaluate, x, at };
}

/** The trigonometric interpolant of a real field from its n Fourier coefficients at angle theta = 2 pi (x - a) / (b - a). */
function interpolate(v: ComplexArray, theta: number): number {
  const n = v.re.length;
  const wr = Math.cos(theta);
  const wi = Math.sin(theta);
  let pr = 1;
  let pi = 0;
  let sum = v.re[0];
  for (let m = 1; m < n / 2; m++) {
    [pr, pi] = [pr * wr - pi * wi, pr * wi + pi * wr];
    sum += 2 * (v.re[m] * pr - v.im[m] * pi);
  }
  // Nyquist mode: cos(n theta / 2) only (real on the grid).
  sum += v.re[n / 2] * Math.cos((n / 2) * theta);
  return sum / n;
}

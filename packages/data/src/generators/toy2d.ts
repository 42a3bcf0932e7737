import { check, positiveInt, type Rng } from '@aml/core';

/** Points in the plane with their component/class labels. */
export interface Points2D {
  /** Row-major (N, 2). */
  readonly x: Float64Array;
  /** Component or class of each point, length N. */
  readonly labels: Int32Array;
}

function checkN(n: number): void {
  check(positiveInt(), n, 'n');
}

/**
 * Mixture of k Gaussians with centres evenly spaced on a circle (the "8 Gaussians" benchmark of GANs and
 * normalising flows; mode collapse shows as missing rings). Components are equally likely.
 *
 * Moments (oracle): mean 0 (for k >= 2), E|x|^2 = radius^2 + 2 std^2.
 */
export function gaussianRing(n: number, rng: Rng, o: { k?: number; radius?: number; std?: number } = {}): Points2D {
  checkN(n);
  const k = o.k ?? 8;
  const r = o.radius ?? 2;
  const s = o.std ?? 0.02;
  const x = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    const a = (2 * Math.PI * c) / k;
    x[2 * i] = r * Math.cos(a) + rng.normal(0, s);
    x[2 * i + 1] = r * Math.sin(a) + rng.normal(0, s);
    labels[i] = c;
  }
  return { x, labels };
}

/**
 * Two interleaving half circles (scikit-learn's make_moons geometry): class 0 on the upper unit semicircle,
 * class 1 on the lower one shifted by (1, 0.5); Gaussian noise of std `noise`. Classes alternate so they are balanced.
 */
export function twoMoons(n: number, rng: Rng, o: { noise?: number } = {}): Points2D {
  checkN(n);
  const noise = o.noise ?? 0.1;
  const x = new Float64Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const a = Math.PI * rng.uniform();
    x[2 * i] = (c === 0 ? Math.cos(a) : 1 - Math.cos(a)) + rng.normal(0, noise);
    x[2 * i + 1] = (c === 0 ? Math.sin(a) : 0.5 - Math.sin(a)) + rng.normal(0, noise);
    labels[i] = c;
  }
  return { x, labels };
}

/**
 * 2D Swiss roll: the spiral (t cos t, t sin t) for t uniform in [1.5 pi, 4.5 pi], plus Gaussian noise.
 * `labels` holds the quartile of t (0..3), handy to colour the unrolled manifold.
 */
export function swissRoll2D(n: number, rng: Rng, o: { noise?: number } = {}): Points2D & { t: Float64Array } {
  checkN(n);
  const noise = o.noise ?? 0.1;
  const x = new Float64Array(2 * n);
  const t = new Float64Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    t[i] = 1.5 * Math.PI * (1 + 2 * u);
    x[2 * i] = t[i] * Math.cos(t[i]) + rng.normal(0, noise);
    x[2 * i + 1] = t[i] * Math.sin(t[i]) + rng.normal(0, noise);
    labels[i] = Math.min(3, Math.floor(4 * u));
  }
  return { x, labels, t };
}

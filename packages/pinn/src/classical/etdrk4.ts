/**
 * The fourth-order exponential time-differencing Runge-Kutta scheme ETDRK4 (Cox & Matthews 2002)
 * for stiff diagonal systems v' = L v + N(v), with the coefficients evaluated by contour integrals
 * (Kassam & Trefethen 2005) so that they stay accurate where h L is near zero. Arrays are complex,
 * stored as separate real and imaginary parts; L is diagonal (one entry per Fourier mode).
 */
import { check, positiveNumber } from '@aml/core';

/** A complex vector as real and imaginary parts, each (n). */
export interface ComplexArray {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** The per-mode factors of one ETDRK4 step of size h. */
export interface Etdrk4Coefficients {
  readonly h: number;
  /** e^{hL}, e^{hL/2}. */
  readonly e: ComplexArray;
  readonly e2: ComplexArray;
  /** h ((e^{z/2} - 1) / z) and the three weights f1, f2, f3 of Cox & Matthews (their eq. 26), z = hL. */
  readonly q: ComplexArray;
  readonly f1: ComplexArray;
  readonly f2: ComplexArray;
  readonly f3: ComplexArray;
}

/** A zero complex vector of length n. */
export function complexZeros(n: number): ComplexArray {
  return { re: new Float64Array(n), im: new Float64Array(n) };
}

/**
 * ETDRK4 factors for the diagonal L (n complex entries) and step h. Each phi-type function is the
 * mean of its values at `points` equally spaced points on the unit circle around hL: the mean
 * value theorem for these entire functions, which avoids the cancellation of the closed formulas
 * for small |hL| (Kassam & Trefethen 2005, sec. 2).
 *
 * @example
 *   const c = etdrk4Coefficients({ re: Float64Array.of(-1), im: Float64Array.of(0) }, 0.1);
 *   c.e.re[0]; // exp(-0.1)
 */
export function etdrk4Coefficients(L: ComplexArray, h: number, points = 32): Etdrk4Coefficients {
  check(positiveNumber(), h, 'etdrk4: step h');
  const n = L.re.length;
  const [e, e2, q, f1, f2, f3] = Array.from({ length: 6 }, () => complexZeros(n));
  const cr = Float64Array.from({ length: points }, (_, j) => Math.cos((2 * Math.PI * (j + 0.5)) / points));
  const ci = Float64Array.from({ length: points }, (_, j) => Math.sin((2 * Math.PI * (j + 0.5)) / points));
  for (let k = 0; k < n; k++) {
    const zr0 = h * L.re[k];
    const zi0 = h * L.im[k];
    if (zr0 > 700)
      throw new Error(`etdrk4: h*L has real part ${zr0.toPrecision(4)} at mode ${k}: e^{hL} overflows; reduce h`);
    const ex = Math.exp(zr0);
    e.re[k] = ex * Math.cos(zi0);
    e.im[k] = ex * Math.sin(zi0);
    const ex2 = Math.exp(zr0 / 2);
    e2.re[k] = ex2 * Math.cos(zi0 / 2);
    e2.im[k] = ex2 * Math.sin(zi0 / 2);
    let sq = [0, 0];
    let s1 = [0, 0];
    let s2 = [0, 0];
    let s3 = [0, 0];
    for (let j = 0; j < points; j++) {
      const zr = zr0 + cr[j];
      const zi = zi0 + ci[j];
      const [ezr, ezi] = cexp(zr, zi);
      const [ehr, ehi] = cexp(zr / 2, zi / 2);
      const z2r = zr * zr - zi * zi;
      const z2i = 2 * zr * zi;
      const z3r = z2r * zr - z2i * zi;
      const z3i = z2r * zi + z2i * zr;
      sq = add(sq, cdiv(ehr - 1, ehi, zr, zi));
      // f1: (-4 - z + e^z (4 - 3z + z^2)) / z^3
      s1 = add(
        s1,
        cdiv(
          -4 - zr + cmulR(ezr, ezi, 4 - 3 * zr + z2r, -3 * zi + z2i),
          -zi + cmulI(ezr, ezi, 4 - 3 * zr + z2r, -3 * zi + z2i),
          z3r,
          z3i,
        ),
      );
      // f2: (2 + z + e^z (z - 2)) / z^3
      s2 = add(s2, cdiv(2 + zr + cmulR(ezr, ezi, zr - 2, zi), zi + cmulI(ezr, ezi, zr - 2, zi), z3r, z3i));
      // f3: (-4 - 3z - z^2 + e^z (4 - z)) / z^3
      s3 = add(
        s3,
        cdiv(-4 - 3 * zr - z2r + cmulR(ezr, ezi, 4 - zr, -zi), -3 * zi - z2i + cmulI(ezr, ezi, 4 - zr, -zi), z3r, z3i),
      );
    }
    const w = h / points;
    [q.re[k], q.im[k]] = [w * sq[0], w * sq[1]];
    [f1.re[k], f1.im[k]] = [w * s1[0], w * s1[1]];
    [f2.re[k], f2.im[k]] = [w * s2[0], w * s2[1]];
    [f3.re[k], f3.im[k]] = [w * s3[0], w * s3[1]];
  }
  return { h, e, e2, q, f1, f2, f3 };
}

function cexp(r: number, i: number): [number, number] {
  const m = Math.exp(r);
  return [m * Math.cos(i), m * Math.sin(i)];
}
const cmulR = (ar: number, ai: number, br: number, bi: number) => ar * br - ai * bi;
const cmulI = (ar: number, ai: number, br: number, bi: number) => ar * bi + ai * br;
function cdiv(ar: number, ai: number, br: number, bi: number): [number, number] {
  const d = br * br + bi * bi;
  return [(ar * br + ai * bi) / d, (ai * br - ar * bi) / d];
}
const add = (a: number[], b: number[]) => [a[0] + b[0], a[1] + b[1]];

/** out += a * x elementwise (complex), scaled by the real s. */
function addProduct(out: ComplexArray, a: ComplexArray, x: ComplexArray, s = 1): void {
  const { re, im } = out;
  const n = re.length;
  for (let k = 0; k < n; k++) {
    re[k] += s * (a.re[k] * x.re[k] - a.im[k] * x.im[k]);
    im[k] += s * (a.re[k] * x.im[k] + a.im[k] * x.re[k]);
  }
}

/** sum_i s_i a_i x_i (a new vector); terms [a, x, s]. */
function combine(terms: readonly (readonly [ComplexArray, ComplexArray, number])[]): ComplexArray {
  const out = complexZeros(terms[0][0].re.length);
  for (const [a, x, s] of terms) addProduct(out, a, x, s);
  return out;
}

/**
 * One ETDRK4 step v(t) -> v(t + h) of v' = L v + N(v) (Cox & Matthews 2002, eqs. 26):
 *   a = e2 v + q N(v),  b = e2 v + q N(a),  c = e2 a + q (2 N(b) - N(v)),
 *   v+ = e v + f1 N(v) + 2 f2 (N(a) + N(b)) + f3 N(c).
 * `nonlinear` maps a state (n) to N (n), both complex.
 */
export function etdrk4Step(
  v: ComplexArray,
  nonlinear: (v: ComplexArray) => ComplexArray,
  c: Etdrk4Coefficients,
): ComplexArray {
  const nv = nonlinear(v);
  const a = combine([
    [c.e2, v, 1],
    [c.q, nv, 1],
  ]);
  const na = nonlinear(a);
  const b = combine([
    [c.e2, v, 1],
    [c.q, na, 1],
  ]);
  const nb = nonlinear(b);
  const cc = combine([
    [c.e2, a, 1],
    [c.q, nb, 2],
    [c.q, nv, -1],
  ]);
  const nc = nonlinear(cc);
  return combine([
    [c.e, v, 1],
    [c.f1, nv, 1],
    [c.f2, na, 2],
    [c.f2, nb, 2],
    [c.f3, nc, 1],
  ]);
}

// SIMD helpers and f32x4 elementary functions for the fused MLP kernel.
// Accuracy: about 1e-7 relative (a few float32 ulp) over the ranges a PINN sees; the
// float64 reference tests in src/fused/ hold the whole kernel to 1e-5.

/** a * b + c. The relaxed build uses f32x4.relaxed_madd (one FMA instruction on x86 with FMA3). */
// @ts-ignore: decorator
@inline export function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

// @ts-ignore: decorator
@inline export function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/** Horizontal sum of the four lanes, in float64. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f64 {
  return (
    <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) +
    (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3))
  );
}

/**
 * exp(x) lane-wise: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two so n*ln2 is exact),
 * e^r by its Taylor polynomial to r^7 (truncation below 1e-8), then 2^n from the exponent bits.
 * x is clamped to [-87, 88] so 2^n stays a normal float.
 */
// @ts-ignore: decorator
@inline export function vexp(x0: v128): v128 {
  const x = f32x4.max(f32x4.min(x0, splat(88.0)), splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, splat(1.4426950408889634)));
  let r = fma(n, splat(-0.693145751953125), x);
  r = fma(n, splat(-1.428606765330187e-6), r);
  let p = splat(1.0 / 5040.0);
  p = fma(p, r, splat(1.0 / 720.0));
  p = fma(p, r, splat(1.0 / 120.0));
  p = fma(p, r, splat(1.0 / 24.0));
  p = fma(p, r, splat(1.0 / 6.0));
  p = fma(p, r, splat(0.5));
  p = fma(p, r, splat(1.0));
  p = fma(p, r, splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

/** Logistic sigmoid 1 / (1 + e^-z). */
// @ts-ignore: decorator
@inline export function vsigmoid(z: v128): v128 {
  return f32x4.div(splat(1.0), f32x4.add(splat(1.0), vexp(f32x4.neg(z))));
}

/**
 * tanh(z): 1 - 2 / (e^{2|z|} + 1) for |z| >= 0.4, and its odd Taylor series to z^13 below,
 * where the first form loses relative accuracy to cancellation. Sign restored at the end.
 */
// @ts-ignore: decorator
@inline export function vtanh(z: v128): v128 {
  const a = f32x4.abs(z);
  const e = vexp(f32x4.add(a, a));
  const big = f32x4.sub(splat(1.0), f32x4.div(splat(2.0), f32x4.add(e, splat(1.0))));
  const a2 = f32x4.mul(a, a);
  let p = splat(<f32>(21844.0 / 6081075.0));
  p = fma(p, a2, splat(<f32>(-1382.0 / 155925.0)));
  p = fma(p, a2, splat(<f32>(62.0 / 2835.0)));
  p = fma(p, a2, splat(<f32>(-17.0 / 315.0)));
  p = fma(p, a2, splat(<f32>(2.0 / 15.0)));
  p = fma(p, a2, splat(<f32>(-1.0 / 3.0)));
  const small = fma(f32x4.mul(a, a2), p, a);
  const t = v128.bitselect(small, big, f32x4.lt(a, splat(0.4)));
  return v128.or(t, v128.and(z, i32x4.splat(0x80000000)));
}

/**
 * sin(z) and cos(z) together: z = n pi/2 + r with pi/2 split in three (Cody-Waite),
 * Taylor polynomials on |r| <= pi/4, quadrant from n. Writes sin to lane set `s`, cos to `c`.
 */
// @ts-ignore: decorator
@inline export function vsincos(z: v128, sOut: usize, cOut: usize): void {
  const n = f32x4.nearest(f32x4.mul(z, splat(0.6366197723675814)));
  let r = fma(n, splat(-1.5703125), z);
  r = fma(n, splat(-4.837512969970703125e-4), r);
  r = fma(n, splat(-7.54978995489188216e-8), r);
  const r2 = f32x4.mul(r, r);
  let ps = splat(<f32>(1.0 / 362880.0));
  ps = fma(ps, r2, splat(<f32>(-1.0 / 5040.0)));
  ps = fma(ps, r2, splat(<f32>(1.0 / 120.0)));
  ps = fma(ps, r2, splat(<f32>(-1.0 / 6.0)));
  const sr = fma(f32x4.mul(r, r2), ps, r);
  let pc = splat(<f32>(-1.0 / 3628800.0));
  pc = fma(pc, r2, splat(<f32>(1.0 / 40320.0)));
  pc = fma(pc, r2, splat(<f32>(-1.0 / 720.0)));
  pc = fma(pc, r2, splat(<f32>(1.0 / 24.0)));
  pc = fma(pc, r2, splat(<f32>(-0.5)));
  const cr = fma(r2, pc, splat(1.0));
  const q = i32x4.trunc_sat_f32x4_s(n);
  const odd = i32x4.eq(v128.and(q, i32x4.splat(1)), i32x4.splat(1));
  const sv = v128.bitselect(cr, sr, odd);
  const cv = v128.bitselect(sr, cr, odd);
  // sin is negative in quadrants 2, 3; cos in quadrants 1, 2.
  const sSign = i32x4.shl(v128.and(q, i32x4.splat(2)), 30);
  const cSign = i32x4.shl(v128.and(i32x4.add(q, i32x4.splat(1)), i32x4.splat(2)), 30);
  v128.store(sOut, v128.xor(sv, sSign));
  v128.store(cOut, v128.xor(cv, cSign));
}

/**
 * log(1 + e) for e in (0, 1]: 2 atanh(s) with s = e / (2 + e) <= 1/3 (no cancellation),
 * series to s^15 (relative truncation below 2e-9).
 */
// @ts-ignore: decorator
@inline export function vlog1pUnit(e: v128): v128 {
  const s = f32x4.div(e, f32x4.add(e, splat(2.0)));
  const s2 = f32x4.mul(s, s);
  let p = splat(<f32>(1.0 / 15.0));
  p = fma(p, s2, splat(<f32>(1.0 / 13.0)));
  p = fma(p, s2, splat(<f32>(1.0 / 11.0)));
  p = fma(p, s2, splat(<f32>(1.0 / 9.0)));
  p = fma(p, s2, splat(<f32>(1.0 / 7.0)));
  p = fma(p, s2, splat(<f32>(1.0 / 5.0)));
  p = fma(p, s2, splat(<f32>(1.0 / 3.0)));
  p = fma(p, s2, splat(1.0));
  return f32x4.mul(f32x4.add(s, s), p);
}

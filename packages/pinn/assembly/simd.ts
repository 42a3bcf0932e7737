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

/** min/max with x86 semantics (one instruction; the wasm f32x4.min/max NaN rules cost several). */
// @ts-ignore: decorator
@inline export function clamp(x: v128, lo: f32, hi: f32): v128 {
  return f32x4.pmax(f32x4.pmin(x, splat(hi)), splat(lo));
}

/**
 * exp(x) lane-wise: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two so n*ln2 is exact),
 * e^r by its Taylor polynomial to r^7 (truncation below 1e-8), then 2^n from the exponent bits.
 * n comes from adding 1.5 * 2^23, which rounds x log2(e) to an integer in the low mantissa
 * bits (cheaper than nearest + a saturating convert). x is clamped to [-87, 88].
 */
// @ts-ignore: decorator
@inline export function vexp(x0: v128): v128 {
  const x = clamp(x0, -87.0, 88.0);
  const t = fma(x, splat(1.4426950408889634), splat(12582912.0));
  const n = f32x4.sub(t, splat(12582912.0));
  let r = fma(n, splat(-0.693145751953125), x);
  r = fma(n, splat(-1.428606765330187e-6), r);
  let p = splat(<f32>(1.0 / 5040.0));
  p = fma(p, r, splat(<f32>(1.0 / 720.0)));
  p = fma(p, r, splat(<f32>(1.0 / 120.0)));
  p = fma(p, r, splat(<f32>(1.0 / 24.0)));
  p = fma(p, r, splat(<f32>(1.0 / 6.0)));
  p = fma(p, r, splat(0.5));
  p = fma(p, r, splat(1.0));
  p = fma(p, r, splat(1.0));
  // bits(t) = 0x4B400000 + n, so (bits(t) - 0x4B400000 + 127) << 23 = 2^n.
  const e = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(p, e);
}

/** Logistic sigmoid 1 / (1 + e^-z). */
// @ts-ignore: decorator
@inline export function vsigmoid(z: v128): v128 {
  return f32x4.div(splat(1.0), f32x4.add(splat(1.0), vexp(f32x4.neg(z))));
}

/** The reduced argument r = z - n pi/2 (pi/2 split in three, Cody-Waite), |r| <= pi/4. */
// @ts-ignore: decorator
@inline export function halfPiRest(z: v128, n: v128): v128 {
  let r = fma(n, splat(-1.5703125), z);
  r = fma(n, splat(-4.837512969970703125e-4), r);
  return fma(n, splat(-7.54978995489188216e-8), r);
}

/** sin(r) on |r| <= pi/4, Taylor to r^9 (truncation below 2e-9). */
// @ts-ignore: decorator
@inline export function sinPoly(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  let p = splat(<f32>(1.0 / 362880.0));
  p = fma(p, r2, splat(<f32>(-1.0 / 5040.0)));
  p = fma(p, r2, splat(<f32>(1.0 / 120.0)));
  p = fma(p, r2, splat(<f32>(-1.0 / 6.0)));
  return fma(f32x4.mul(r, r2), p, r);
}

/** cos(r) on |r| <= pi/4, Taylor to r^10. */
// @ts-ignore: decorator
@inline export function cosPoly(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  let p = splat(<f32>(-1.0 / 3628800.0));
  p = fma(p, r2, splat(<f32>(1.0 / 40320.0)));
  p = fma(p, r2, splat(<f32>(-1.0 / 720.0)));
  p = fma(p, r2, splat(<f32>(1.0 / 24.0)));
  p = fma(p, r2, splat(<f32>(-0.5)));
  return fma(r2, p, splat(1.0));
}

/**
 * t = z 2/pi + 1.5 * 2^23: adding the magic number rounds z 2/pi to the integer n, which sits
 * in t's low mantissa bits (so t's bits give the quadrant n mod 4) and n = t - 1.5 * 2^23.
 */
// @ts-ignore: decorator
@inline export function quadrant(z: v128): v128 {
  return fma(z, splat(0.6366197723675814), splat(12582912.0));
}

/** sin(z) from the reduction: quadrant q = n mod 4 picks +-sin(r) or +-cos(r). */
// @ts-ignore: decorator
@inline export function sinFrom(sr: v128, cr: v128, t: v128): v128 {
  const odd = i32x4.eq(v128.and(t, i32x4.splat(1)), i32x4.splat(1));
  const v = v128.bitselect(cr, sr, odd);
  return v128.xor(v, i32x4.shl(v128.and(t, i32x4.splat(2)), 30)); // negative in quadrants 2, 3
}

/** cos(z) from the reduction. */
// @ts-ignore: decorator
@inline export function cosFrom(sr: v128, cr: v128, t: v128): v128 {
  const odd = i32x4.eq(v128.and(t, i32x4.splat(1)), i32x4.splat(1));
  const v = v128.bitselect(sr, cr, odd);
  return v128.xor(v, i32x4.shl(v128.and(i32x4.add(t, i32x4.splat(1)), i32x4.splat(2)), 30)); // negative in 1, 2
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

// SIMD helpers and f32x4 elementary functions for the fused MLP kernel.
// Accuracy: about 1e-7 relative (a few float32 ulp) over the ranges a PINN sees; the
// float64 reference tests in src/fused/ hold the whole kernel to 1e-5.
//
// Constants come from a table in memory (K, written once per call by initConstants), not
// from f32x4.splat: V8 materialises every SIMD constant inside the loop through general
// registers (mov + movq + pinsrq), which made exp 26 cycles per vector instead of 15.

// Slots of the constant table (16 bytes each; f32x4 unless marked i32x4).
export const K_ONE = 0;
export const K_HALF = 1;
export const K_TWO = 2;
export const K_MINUS_TWO = 3;
export const K_FOUR = 4;
export const K_MINUS_THREE = 5;
export const K_MINUS_SIX = 6;
export const K_ZERO = 7;
export const K_SIGN = 8; // i32x4 0x80000000
export const K_EXP_LO = 9; // -87
export const K_EXP_HI = 10; // 88
export const K_LOG2E = 11;
export const K_MAGIC = 12; // 1.5 * 2^23
export const K_LN2_HI = 13;
export const K_LN2_LO = 14;
export const K_EXP_C7 = 15; // 1/7!, then 1/6!, 1/5!, 1/4!, 1/3! in the next slots
export const K_EXP_BIAS = 20; // i32x4 127 - 0x4b400000
export const K_TWO_OVER_PI = 21;
export const K_HALFPI_A = 22;
export const K_HALFPI_B = 23;
export const K_HALFPI_C = 24;
export const K_SIN_C9 = 25; // 1/9!, -1/7!, 1/5!, -1/3!
export const K_COS_C10 = 29; // -1/10!, 1/8!, -1/6!, 1/4!, -1/2
export const K_INT_ONE = 34; // i32x4 1
export const K_INT_TWO = 35; // i32x4 2
export const K_LOG1P_C15 = 36; // 1/15, 1/13, ..., 1/3 (7 slots)
export const K_THREE = 43;
export const K_EIGHT = 44;
export const K_MINUS_TWELVE = 45;
export const K_SLOTS = 46;
/** Bytes of the constant table (the host reserves this much at the end of each thread's scratch). */
export const K_BYTES = K_SLOTS << 4;

// @ts-ignore: decorator
@inline function putF(K: usize, slot: i32, x: f32): void {
  v128.store(K + (<usize>slot << 4), f32x4.splat(x));
}

// @ts-ignore: decorator
@inline function putI(K: usize, slot: i32, x: i32): void {
  v128.store(K + (<usize>slot << 4), i32x4.splat(x));
}

/** Write the constant table at K (K_BYTES bytes). */
export function initConstants(K: usize): void {
  putF(K, K_ONE, 1.0); putF(K, K_HALF, 0.5); putF(K, K_TWO, 2.0); putF(K, K_MINUS_TWO, -2.0);
  putF(K, K_FOUR, 4.0); putF(K, K_MINUS_THREE, -3.0); putF(K, K_MINUS_SIX, -6.0); putF(K, K_ZERO, 0.0);
  putF(K, K_THREE, 3.0); putF(K, K_EIGHT, 8.0); putF(K, K_MINUS_TWELVE, -12.0);
  putI(K, K_SIGN, 0x80000000);
  putF(K, K_EXP_LO, -87.0); putF(K, K_EXP_HI, 88.0); putF(K, K_LOG2E, 1.4426950408889634); putF(K, K_MAGIC, 12582912.0);
  putF(K, K_LN2_HI, -0.693145751953125); putF(K, K_LN2_LO, -1.428606765330187e-6);
  putF(K, K_EXP_C7, <f32>(1.0 / 5040.0)); putF(K, K_EXP_C7 + 1, <f32>(1.0 / 720.0)); putF(K, K_EXP_C7 + 2, <f32>(1.0 / 120.0));
  putF(K, K_EXP_C7 + 3, <f32>(1.0 / 24.0)); putF(K, K_EXP_C7 + 4, <f32>(1.0 / 6.0));
  putI(K, K_EXP_BIAS, 127 - 0x4b400000);
  putF(K, K_TWO_OVER_PI, 0.6366197723675814);
  putF(K, K_HALFPI_A, -1.5703125); putF(K, K_HALFPI_B, -4.837512969970703125e-4); putF(K, K_HALFPI_C, -7.54978995489188216e-8);
  putF(K, K_SIN_C9, <f32>(1.0 / 362880.0)); putF(K, K_SIN_C9 + 1, <f32>(-1.0 / 5040.0)); putF(K, K_SIN_C9 + 2, <f32>(1.0 / 120.0)); putF(K, K_SIN_C9 + 3, <f32>(-1.0 / 6.0));
  putF(K, K_COS_C10, <f32>(-1.0 / 3628800.0)); putF(K, K_COS_C10 + 1, <f32>(1.0 / 40320.0)); putF(K, K_COS_C10 + 2, <f32>(-1.0 / 720.0));
  putF(K, K_COS_C10 + 3, <f32>(1.0 / 24.0)); putF(K, K_COS_C10 + 4, -0.5);
  putI(K, K_INT_ONE, 1); putI(K, K_INT_TWO, 2);
  for (let i = 0; i < 7; i++) putF(K, K_LOG1P_C15 + i, <f32>(1.0 / <f64>(15 - 2 * i)));
}

/** Constant `slot` of the table at K. */
// @ts-ignore: decorator
@inline export function kc(K: usize, slot: i32): v128 {
  return v128.load(K + (<usize>slot << 4));
}

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
@inline export function clamp(x: v128, lo: v128, hi: v128): v128 {
  return f32x4.pmax(f32x4.pmin(x, hi), lo);
}

/**
 * exp(x) lane-wise: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two so n*ln2 is exact),
 * e^r by its Taylor polynomial to r^7 (truncation below 1e-8), then 2^n from the exponent bits.
 * n comes from adding 1.5 * 2^23, which rounds x log2(e) to an integer in the low mantissa
 * bits (cheaper than nearest + a saturating convert). x is clamped to [-87, 88].
 */
// @ts-ignore: decorator
@inline export function vexp(x0: v128, K: usize): v128 {
  const x = clamp(x0, kc(K, K_EXP_LO), kc(K, K_EXP_HI));
  const magic = kc(K, K_MAGIC), one = kc(K, K_ONE);
  const t = fma(x, kc(K, K_LOG2E), magic);
  const n = f32x4.sub(t, magic);
  let r = fma(n, kc(K, K_LN2_HI), x);
  r = fma(n, kc(K, K_LN2_LO), r);
  let p = fma(kc(K, K_EXP_C7), r, kc(K, K_EXP_C7 + 1));
  p = fma(p, r, kc(K, K_EXP_C7 + 2));
  p = fma(p, r, kc(K, K_EXP_C7 + 3));
  p = fma(p, r, kc(K, K_EXP_C7 + 4));
  p = fma(p, r, kc(K, K_HALF));
  p = fma(p, r, one);
  p = fma(p, r, one);
  // bits(t) = 0x4B400000 + n, so (bits(t) - 0x4B400000 + 127) << 23 = 2^n.
  const e = i32x4.shl(i32x4.add(t, kc(K, K_EXP_BIAS)), 23);
  return f32x4.mul(p, e);
}

/** Logistic sigmoid 1 / (1 + e^-z). */
// @ts-ignore: decorator
@inline export function vsigmoid(z: v128, K: usize): v128 {
  const one = kc(K, K_ONE);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(z), K)));
}

/** The reduced argument r = z - n pi/2 (pi/2 split in three, Cody-Waite), |r| <= pi/4. */
// @ts-ignore: decorator
@inline export function halfPiRest(z: v128, n: v128, K: usize): v128 {
  let r = fma(n, kc(K, K_HALFPI_A), z);
  r = fma(n, kc(K, K_HALFPI_B), r);
  return fma(n, kc(K, K_HALFPI_C), r);
}

/** sin(r) on |r| <= pi/4, Taylor to r^9 (truncation below 2e-9). */
// @ts-ignore: decorator
@inline export function sinPoly(r: v128, K: usize): v128 {
  const r2 = f32x4.mul(r, r);
  let p = fma(kc(K, K_SIN_C9), r2, kc(K, K_SIN_C9 + 1));
  p = fma(p, r2, kc(K, K_SIN_C9 + 2));
  p = fma(p, r2, kc(K, K_SIN_C9 + 3));
  return fma(f32x4.mul(r, r2), p, r);
}

/** cos(r) on |r| <= pi/4, Taylor to r^10. */
// @ts-ignore: decorator
@inline export function cosPoly(r: v128, K: usize): v128 {
  const r2 = f32x4.mul(r, r);
  let p = fma(kc(K, K_COS_C10), r2, kc(K, K_COS_C10 + 1));
  p = fma(p, r2, kc(K, K_COS_C10 + 2));
  p = fma(p, r2, kc(K, K_COS_C10 + 3));
  p = fma(p, r2, kc(K, K_COS_C10 + 4));
  return fma(r2, p, kc(K, K_ONE));
}

/**
 * t = z 2/pi + 1.5 * 2^23: adding the magic number rounds z 2/pi to the integer n, which sits
 * in t's low mantissa bits (so t's bits give the quadrant n mod 4) and n = t - 1.5 * 2^23.
 */
// @ts-ignore: decorator
@inline export function quadrant(z: v128, K: usize): v128 {
  return fma(z, kc(K, K_TWO_OVER_PI), kc(K, K_MAGIC));
}

/** sin(z) from the reduction: quadrant q = n mod 4 picks +-sin(r) or +-cos(r). */
// @ts-ignore: decorator
@inline export function sinFrom(sr: v128, cr: v128, t: v128, K: usize): v128 {
  const one = kc(K, K_INT_ONE);
  const odd = i32x4.eq(v128.and(t, one), one);
  const v = v128.bitselect(cr, sr, odd);
  return v128.xor(v, i32x4.shl(v128.and(t, kc(K, K_INT_TWO)), 30)); // negative in quadrants 2, 3
}

/** cos(z) from the reduction. */
// @ts-ignore: decorator
@inline export function cosFrom(sr: v128, cr: v128, t: v128, K: usize): v128 {
  const one = kc(K, K_INT_ONE);
  const odd = i32x4.eq(v128.and(t, one), one);
  const v = v128.bitselect(sr, cr, odd);
  return v128.xor(v, i32x4.shl(v128.and(i32x4.add(t, one), kc(K, K_INT_TWO)), 30)); // negative in 1, 2
}

/**
 * log(1 + e) for e in (0, 1]: 2 atanh(s) with s = e / (2 + e) <= 1/3 (no cancellation),
 * series to s^15 (relative truncation below 2e-9).
 */
// @ts-ignore: decorator
@inline export function vlog1pUnit(e: v128, K: usize): v128 {
  const s = f32x4.div(e, f32x4.add(e, kc(K, K_TWO)));
  const s2 = f32x4.mul(s, s);
  let p = fma(kc(K, K_LOG1P_C15), s2, kc(K, K_LOG1P_C15 + 1));
  p = fma(p, s2, kc(K, K_LOG1P_C15 + 2));
  p = fma(p, s2, kc(K, K_LOG1P_C15 + 3));
  p = fma(p, s2, kc(K, K_LOG1P_C15 + 4));
  p = fma(p, s2, kc(K, K_LOG1P_C15 + 5));
  p = fma(p, s2, kc(K, K_LOG1P_C15 + 6));
  p = fma(p, s2, kc(K, K_ONE));
  return f32x4.mul(f32x4.add(s, s), p);
}

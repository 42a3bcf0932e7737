// Hidden-layer activations, each with its first three (four with third-derivative channels)
// derivatives beside it (s0 = f(z), s1 = f'(z), s2 = f''(z), s3 = f'''(z), s4 = f''''(z)),
// fused with the Taylor-stack rule
//   h = s0,  h_i = s1 z_i,  h_ij = s2 z_i z_j + s1 z_ij,  h_iii = s1 z_iii + 3 s2 z_i z_ii + s3 z_i^3
// so a layer's activation is one pass over its z-stack. The forward pass needs s0..s2
// and, when it keeps a tape, saves two planes per row (e.g. tanh and tanh') from which
// the reverse pass restores h and s1..s3 with a few multiplies instead of recomputing
// exp and a division.
// Ids must match FUSED_ACTIVATIONS in src/fused/plan.ts.
import * as P_ from './plan';
import { cosFrom, cosPoly, fma, halfPiRest, kc, K_EIGHT, K_FOUR, K_MAGIC, K_MINUS_SIX, K_MINUS_THREE, K_MINUS_TWELVE, K_MINUS_TWO, K_ONE, K_SIGN, K_THREE, K_TWO, K_ZERO, quadrant, sinFrom, sinPoly, vexp, vlog1pUnit, vsigmoid } from './simd';

export const ACT_IDENTITY = 0;
export const ACT_TANH = 1;
export const ACT_SIN = 2;
export const ACT_SIGMOID = 3;
export const ACT_SOFTPLUS = 4;
export const ACT_SILU = 5;

/**
 * Derivative channels of row k from s1, s2 (rows at sr, sr + plane) and the z-stack:
 * h_i = s1 z_i, h_ij = s2 z_i z_j + s1 z_ij. Channel-outer, point-inner: tight loops.
 */
// @ts-ignore: decorator
@inline function emitDerivs(plan: usize, zr: usize, hr: usize, sr: usize, plane: usize, seg: usize, nF: i32, nP: i32): void {
  let off = seg;
  for (let i = 0; i < nF; i++) {
    const zp = zr + off, hp = hr + off;
    for (let v: usize = 0; v < seg; v += 16) v128.store(hp + v, f32x4.mul(v128.load(sr + v), v128.load(zp + v)));
    off += seg;
  }
  for (let q = 0; q < nP; q++) {
    const o = plan + ((<usize>(P_.PL_PAIROFF + 3 * q)) << 2);
    const za = zr + <usize>load<i32>(o), zb = zr + <usize>load<i32>(o, 4);
    const oq = <usize>load<i32>(o, 8);
    const zq = zr + oq, hq = hr + oq;
    for (let v: usize = 0; v < seg; v += 16) {
      const t = f32x4.mul(v128.load(sr + plane + v), v128.load(za + v));
      v128.store(hq + v, fma(t, v128.load(zb + v), f32x4.mul(v128.load(sr + v), v128.load(zq + v))));
    }
  }
}
/**
 * Third-derivative channels of row k (plan slots PL_NT, PL_TRIPOFF) from s1..s3 (rows at sr,
 * sr + plane, sr + 2 plane): h_iii = s1 z_iii + 3 s2 z_i z_ii + s3 z_i^3.
 */
// @ts-ignore: decorator
@inline function emitTriples(plan: usize, zr: usize, hr: usize, sr: usize, plane: usize, seg: usize, K: usize): void {
  const nT = load<i32>(plan + (P_.PL_NT << 2));
  const three = kc(K, K_THREE);
  for (let q = 0; q < nT; q++) {
    const o = plan + ((<usize>(P_.PL_TRIPOFF + 3 * q)) << 2);
    const z1p = zr + <usize>load<i32>(o), z2p = zr + <usize>load<i32>(o, 4);
    const o3 = <usize>load<i32>(o, 8);
    const z3p = zr + o3, h3p = hr + o3;
    for (let v: usize = 0; v < seg; v += 16) {
      const z1 = v128.load(z1p + v);
      const s1 = v128.load(sr + v), s2 = v128.load(sr + plane + v), s3 = v128.load(sr + 2 * plane + v);
      const t = fma(f32x4.mul(s3, z1), f32x4.mul(z1, z1), f32x4.mul(s1, v128.load(z3p + v)));
      v128.store(h3p + v, fma(f32x4.mul(three, s2), f32x4.mul(z1, v128.load(z2p + v)), t));
    }
  }
}

/**
 * Forward, one f32x4 of z (at zp) through activation `id`: s0 to hp, s1 and s2 to sp and
 * sp + plane (with `third`, s3 to sp + 2 plane); with save, the two planes restore() needs to
 * ap and ap + seg. Constants from K.
 */
// @ts-ignore: decorator
@inline function unit(id: i32, save: bool, third: bool, zp: usize, hp: usize, sp: usize, plane: usize, K: usize, ap: usize, seg: usize): void {
  const z = v128.load(zp);
  let s0 = z, s1 = kc(K, K_ONE), s2 = kc(K, K_ZERO), s3 = kc(K, K_ZERO);
  let saveA = s0, saveB = s1;
  if (id == ACT_TANH) {
    // With e = exp(-2|z|): t = sign(z) (1 - e) / (1 + e) and tanh' = 1 - t^2 = 4 e / (1 + e)^2,
    // which keeps tanh' accurate where t is close to +-1. tanh'' = -2 t tanh'.
    const one = kc(K, K_ONE), m2 = kc(K, K_MINUS_TWO);
    const e = vexp(f32x4.mul(f32x4.abs(z), m2), K);
    const inv = f32x4.div(one, f32x4.add(one, e));
    s0 = v128.or(f32x4.mul(f32x4.sub(one, e), inv), v128.and(z, kc(K, K_SIGN)));
    s1 = f32x4.mul(f32x4.mul(kc(K, K_FOUR), e), f32x4.mul(inv, inv));
    s2 = f32x4.mul(m2, f32x4.mul(s0, s1));
    if (third) s3 = f32x4.mul(m2, f32x4.mul(s1, fma(kc(K, K_MINUS_THREE), f32x4.mul(s0, s0), one)));
    saveA = s0; saveB = s1;
  } else if (id == ACT_SIN) {
    // sin' = cos, sin'' = -sin
    const t = quadrant(z, K);
    const r = halfPiRest(z, f32x4.sub(t, kc(K, K_MAGIC)), K);
    const sr = sinPoly(r, K), cr = cosPoly(r, K);
    s0 = sinFrom(sr, cr, t, K);
    s1 = cosFrom(sr, cr, t, K);
    s2 = f32x4.neg(s0);
    if (third) s3 = f32x4.neg(s1);
    saveA = s0; saveB = s1;
  } else if (id == ACT_SIGMOID) {
    // g' = g (1 - g), g'' = g' (1 - 2 g)
    const one = kc(K, K_ONE);
    s0 = vsigmoid(z, K);
    s1 = f32x4.mul(s0, f32x4.sub(one, s0));
    s2 = f32x4.mul(s1, fma(kc(K, K_MINUS_TWO), s0, one));
    if (third) s3 = f32x4.mul(s1, fma(kc(K, K_MINUS_SIX), s1, one));
    saveA = s0; saveB = s1;
  } else if (id == ACT_SOFTPLUS) {
    // log(1 + e^z) = max(z, 0) + log1p(e^-|z|); derivatives g, g' of the sigmoid g
    const one = kc(K, K_ONE), zero = kc(K, K_ZERO);
    const e = vexp(f32x4.neg(f32x4.abs(z)), K);
    const inv = f32x4.div(one, f32x4.add(one, e));
    s1 = v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(z, zero)); // g, no overflow either side
    s2 = f32x4.mul(s1, f32x4.sub(one, s1));
    s0 = f32x4.add(f32x4.pmax(z, zero), vlog1pUnit(e, K));
    if (third) s3 = f32x4.mul(s2, fma(kc(K, K_MINUS_TWO), s1, one));
    saveA = s0; saveB = s1;
  } else if (id == ACT_SILU) {
    // z g: f' = g + z g', f'' = 2 g' + z g''
    const one = kc(K, K_ONE);
    const g = vsigmoid(z, K);
    const g1 = f32x4.mul(g, f32x4.sub(one, g));
    const g2 = f32x4.mul(g1, fma(kc(K, K_MINUS_TWO), g, one));
    s0 = f32x4.mul(z, g);
    s1 = fma(z, g1, g);
    s2 = fma(z, g2, f32x4.add(g1, g1));
    if (third) s3 = fma(z, f32x4.mul(g1, fma(kc(K, K_MINUS_SIX), g1, one)), f32x4.mul(kc(K, K_THREE), g2));
    saveA = g;
  }
  v128.store(hp, s0);
  v128.store(sp, s1);
  v128.store(sp + plane, s2);
  if (third) v128.store(sp + 2 * plane, s3);
  if (save && id != ACT_IDENTITY) {
    v128.store(ap, saveA);
    if (id != ACT_SILU) v128.store(ap + seg, saveB);
  }
}

/**
 * Reverse, one f32x4: s0..s3 from z (at zp) and the planes the forward pass saved (ap,
 * ap + seg): s0 to hp, s1..s3 to sp, sp + plane, sp + 2 plane (with `fourth`, s4 to
 * sp + 3 plane). Only multiplies.
 */
// @ts-ignore: decorator
@inline function restore(id: i32, fourth: bool, zp: usize, ap: usize, seg: usize, hp: usize, sp: usize, plane: usize, K: usize): void {
  const z = v128.load(zp);
  const one = kc(K, K_ONE);
  let s0 = z, s1 = one, s2 = kc(K, K_ZERO), s3 = kc(K, K_ZERO), s4 = kc(K, K_ZERO);
  if (id == ACT_TANH) {
    // saved: t and t' (accurate form); t'' = -2 t t', t''' = -2 t' (1 - 3 t^2)
    const m2 = kc(K, K_MINUS_TWO);
    s0 = v128.load(ap);
    s1 = v128.load(ap + seg);
    s2 = f32x4.mul(m2, f32x4.mul(s0, s1));
    s3 = f32x4.mul(m2, f32x4.mul(s1, fma(kc(K, K_MINUS_THREE), f32x4.mul(s0, s0), one)));
    // t'''' = 8 t t' (2 - 3 t^2)
    if (fourth) s4 = f32x4.mul(kc(K, K_EIGHT), f32x4.mul(f32x4.mul(s0, s1), fma(kc(K, K_MINUS_THREE), f32x4.mul(s0, s0), kc(K, K_TWO))));
  } else if (id == ACT_SIN) {
    // saved: sin and cos; sin'' = -sin, sin''' = -cos, sin'''' = sin
    s0 = v128.load(ap);
    s1 = v128.load(ap + seg);
    s2 = f32x4.neg(s0);
    s3 = f32x4.neg(s1);
    s4 = s0;
  } else if (id == ACT_SIGMOID) {
    // saved: g and g'; g'' = g' (1 - 2 g), g''' = g' (1 - 6 g')
    s0 = v128.load(ap);
    s1 = v128.load(ap + seg);
    s2 = f32x4.mul(s1, fma(kc(K, K_MINUS_TWO), s0, one));
    s3 = f32x4.mul(s1, fma(kc(K, K_MINUS_SIX), s1, one));
    // g'''' = g'' (1 - 12 g')
    if (fourth) s4 = f32x4.mul(s2, fma(kc(K, K_MINUS_TWELVE), s1, one));
  } else if (id == ACT_SOFTPLUS) {
    // saved: f and g (f' = g); f'' = g (1 - g), f''' = f'' (1 - 2 g)
    s0 = v128.load(ap);
    s1 = v128.load(ap + seg);
    s2 = f32x4.mul(s1, f32x4.sub(one, s1));
    s3 = f32x4.mul(s2, fma(kc(K, K_MINUS_TWO), s1, one));
    // f'''' = g''' = g' (1 - 6 g'), with g' = f''
    if (fourth) s4 = f32x4.mul(s2, fma(kc(K, K_MINUS_SIX), s2, one));
  } else if (id == ACT_SILU) {
    // saved: g; f = z g, f' = g + z g', f'' = 2 g' + z g'', f''' = 3 g'' + z g'''
    const g = v128.load(ap);
    const g1 = f32x4.mul(g, f32x4.sub(one, g));
    const g2 = f32x4.mul(g1, fma(kc(K, K_MINUS_TWO), g, one));
    s0 = f32x4.mul(z, g);
    s1 = fma(z, g1, g);
    s2 = fma(z, g2, f32x4.add(g1, g1));
    const g3 = f32x4.mul(g1, fma(kc(K, K_MINUS_SIX), g1, one));
    s3 = fma(z, g3, fma(kc(K, K_TWO), g2, g2));
    // f'''' = 4 g''' + z g'''', g'''' = g'' (1 - 12 g')
    if (fourth) s4 = fma(z, f32x4.mul(g2, fma(kc(K, K_MINUS_TWELVE), g1, one)), f32x4.mul(kc(K, K_FOUR), g3));
  }
  v128.store(hp, s0);
  v128.store(sp, s1);
  v128.store(sp + plane, s2);
  v128.store(sp + 2 * plane, s3);
  if (fourth) v128.store(sp + 3 * plane, s4);
}

/**
 * Forward over rows 0..n of a z-stack (row k at Z + k rowBytes) into the h-stack H; s1, s2
 * go to one scratch row at S (planes `plane` apart). With save, row k's two saved planes go
 * to SAVED + 2 k seg. `id` and `save` are constants at every call site, so each instance is
 * straight-line code.
 */
// @ts-ignore: decorator
@inline function rows(id: i32, save: bool, third: bool, plan: usize, Z: usize, SAVED: usize, H: usize, S: usize, plane: usize, n: i32, rowBytes: usize, K: usize): void {
  const P = load<i32>(plan + (P_.PL_P << 2));
  const nF = load<i32>(plan + (P_.PL_NF << 2)), nP = load<i32>(plan + (P_.PL_NP << 2));
  const seg = <usize>P << 2;
  for (let k = 0; k < n; k++) {
    const zr = Z + <usize>k * rowBytes, hr = H + <usize>k * rowBytes;
    const ar = SAVED + 2 * <usize>k * seg;
    for (let v: usize = 0; v < seg; v += 16) unit(id, save, third, zr + v, hr + v, S + v, plane, K, ar + v, seg);
    emitDerivs(plan, zr, hr, S, plane, seg, nF, nP);
    if (third) emitTriples(plan, zr, hr, S, plane, seg, K);
  }
}

/** Reverse over rows 0..n: the h-stack into H and s1..s3 into S (3 planes, row k at + k seg) from the z-stack and the saved planes. */
// @ts-ignore: decorator
@inline function restoreRows(id: i32, fourth: bool, plan: usize, Z: usize, SAVED: usize, H: usize, S: usize, plane: usize, n: i32, rowBytes: usize, K: usize): void {
  const P = load<i32>(plan + (P_.PL_P << 2));
  const nF = load<i32>(plan + (P_.PL_NF << 2)), nP = load<i32>(plan + (P_.PL_NP << 2));
  const seg = <usize>P << 2;
  for (let k = 0; k < n; k++) {
    const zr = Z + <usize>k * rowBytes, hr = H + <usize>k * rowBytes;
    const sr = S + <usize>k * seg, ar = SAVED + 2 * <usize>k * seg;
    for (let v: usize = 0; v < seg; v += 16) restore(id, fourth, zr + v, ar + v, seg, hr + v, sr + v, plane, K);
    emitDerivs(plan, zr, hr, sr, plane, seg, nF, nP);
    if (fourth) emitTriples(plan, zr, hr, sr, plane, seg, K);
  }
}

/**
 * Forward: h-stack of rows 0..n from their z-stack (S: one scratch row for s1, s2 (and s3 with
 * third-derivative channels), planes `plane` apart). SAVED != 0 (a tape is kept): also each
 * row's two saved planes (2 seg per row).
 */
export function activationForward(act: i32, plan: usize, Z: usize, SAVED: usize, H: usize, S: usize, plane: usize, n: i32, rowBytes: usize, K: usize): void {
  const third = load<i32>(plan + (P_.PL_NT << 2)) > 0;
  if (third) {
    if (SAVED != 0) {
      switch (act) {
        case ACT_TANH: rows(ACT_TANH, true, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
        case ACT_SIN: rows(ACT_SIN, true, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
        case ACT_SIGMOID: rows(ACT_SIGMOID, true, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
        case ACT_SOFTPLUS: rows(ACT_SOFTPLUS, true, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
        case ACT_SILU: rows(ACT_SILU, true, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
        default: rows(ACT_IDENTITY, true, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K);
      }
    } else {
      switch (act) {
        case ACT_TANH: rows(ACT_TANH, false, true, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
        case ACT_SIN: rows(ACT_SIN, false, true, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
        case ACT_SIGMOID: rows(ACT_SIGMOID, false, true, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
        case ACT_SOFTPLUS: rows(ACT_SOFTPLUS, false, true, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
        case ACT_SILU: rows(ACT_SILU, false, true, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
        default: rows(ACT_IDENTITY, false, true, plan, Z, 0, H, S, plane, n, rowBytes, K);
      }
    }
  } else if (SAVED != 0) {
    switch (act) {
      case ACT_TANH: rows(ACT_TANH, true, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SIN: rows(ACT_SIN, true, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SIGMOID: rows(ACT_SIGMOID, true, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SOFTPLUS: rows(ACT_SOFTPLUS, true, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SILU: rows(ACT_SILU, true, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      default: rows(ACT_IDENTITY, true, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K);
    }
  } else {
    switch (act) {
      case ACT_TANH: rows(ACT_TANH, false, false, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
      case ACT_SIN: rows(ACT_SIN, false, false, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
      case ACT_SIGMOID: rows(ACT_SIGMOID, false, false, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
      case ACT_SOFTPLUS: rows(ACT_SOFTPLUS, false, false, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
      case ACT_SILU: rows(ACT_SILU, false, false, plan, Z, 0, H, S, plane, n, rowBytes, K); break;
      default: rows(ACT_IDENTITY, false, false, plan, Z, 0, H, S, plane, n, rowBytes, K);
    }
  }
}

/**
 * Reverse: the h-stack and s1..s3 (3 planes at S; s4 in a fourth with third-derivative
 * channels) of rows 0..n from the tape's z-stack and saved planes.
 */
export function activationRestore(act: i32, plan: usize, Z: usize, SAVED: usize, H: usize, S: usize, plane: usize, n: i32, rowBytes: usize, K: usize): void {
  if (load<i32>(plan + (P_.PL_NT << 2)) > 0) {
    switch (act) {
      case ACT_TANH: restoreRows(ACT_TANH, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SIN: restoreRows(ACT_SIN, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SIGMOID: restoreRows(ACT_SIGMOID, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SOFTPLUS: restoreRows(ACT_SOFTPLUS, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      case ACT_SILU: restoreRows(ACT_SILU, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
      default: restoreRows(ACT_IDENTITY, true, plan, Z, SAVED, H, S, plane, n, rowBytes, K);
    }
    return;
  }
  switch (act) {
    case ACT_TANH: restoreRows(ACT_TANH, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
    case ACT_SIN: restoreRows(ACT_SIN, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
    case ACT_SIGMOID: restoreRows(ACT_SIGMOID, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
    case ACT_SOFTPLUS: restoreRows(ACT_SOFTPLUS, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
    case ACT_SILU: restoreRows(ACT_SILU, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K); break;
    default: restoreRows(ACT_IDENTITY, false, plan, Z, SAVED, H, S, plane, n, rowBytes, K);
  }
}

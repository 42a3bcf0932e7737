// Hidden-layer activations, each with its first three derivatives beside it
// (s0 = f(z), s1 = f'(z), s2 = f''(z), s3 = f'''(z)), fused with the Taylor-stack rule
//   h = s0,  h_i = s1 z_i,  h_ij = s2 z_i z_j + s1 z_ij
// so a layer's activation is one pass over its z-stack. The forward pass needs s0..s2;
// the reverse pass recomputes h and keeps s1..s3 for the adjoint rule.
// Ids must match FUSED_ACTIVATIONS in src/fused/plan.ts.
import * as P_ from './plan';
import { cosFrom, cosPoly, fma, halfPiRest, quadrant, sinFrom, sinPoly, splat, vexp, vlog1pUnit, vsigmoid } from './simd';

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
 * One activation over rows 0..n of a z-stack (row k at Z + k rowBytes) into the h-stack H.
 * s1, s2 (and with keep, s3) of row k go to S (plane q - 1 at S + (q - 1) plane, row k at
 * + k seg); the forward pass passes a scratch S and reuses its first row. `id` and `keep`
 * are constants at every call site, so each instance is straight-line code.
 */
// @ts-ignore: decorator
@inline function rows(id: i32, keep: bool, plan: usize, Z: usize, H: usize, S: usize, plane: usize, n: i32, rowBytes: usize): void {
  const P = load<i32>(plan + (P_.PL_P << 2));
  const nF = load<i32>(plan + (P_.PL_NF << 2)), nP = load<i32>(plan + (P_.PL_NP << 2));
  const seg = <usize>P << 2;
  for (let k = 0; k < n; k++) {
    const zr = Z + <usize>k * rowBytes, hr = H + <usize>k * rowBytes;
    const sr = keep ? S + <usize>k * seg : S;
    for (let v: usize = 0; v < seg; v += 16) {
      const z = v128.load(zr + v);
      let s0 = z, s1 = splat(1.0), s2 = splat(0.0), s3 = splat(0.0);
      if (id == ACT_TANH) {
        // With e = exp(-2|z|): t = sign(z) (1 - e) / (1 + e) and tanh' = 1 - t^2 = 4 e / (1 + e)^2,
        // which keeps tanh' accurate where t is close to +-1. tanh'' = -2 t tanh',
        // tanh''' = -2 tanh' (1 - 3 t^2).
        const e = vexp(f32x4.mul(f32x4.abs(z), splat(-2.0)));
        const inv = f32x4.div(splat(1.0), f32x4.add(splat(1.0), e));
        s0 = v128.or(f32x4.mul(f32x4.sub(splat(1.0), e), inv), v128.and(z, i32x4.splat(0x80000000)));
        const t2 = f32x4.mul(s0, s0);
        s1 = f32x4.mul(f32x4.mul(splat(4.0), e), f32x4.mul(inv, inv));
        s2 = f32x4.mul(splat(-2.0), f32x4.mul(s0, s1));
        if (keep) s3 = f32x4.mul(splat(-2.0), f32x4.mul(s1, fma(splat(-3.0), t2, splat(1.0))));
      } else if (id == ACT_SIN) {
        // sin' = cos, sin'' = -sin, sin''' = -cos
        const t = quadrant(z);
        const r = halfPiRest(z, f32x4.sub(t, splat(12582912.0)));
        const sp = sinPoly(r), cp = cosPoly(r);
        s0 = sinFrom(sp, cp, t);
        s1 = cosFrom(sp, cp, t);
        s2 = f32x4.neg(s0);
        s3 = f32x4.neg(s1);
      } else if (id == ACT_SIGMOID) {
        // g' = g (1 - g), g'' = g' (1 - 2 g), g''' = g' (1 - 6 g')
        s0 = vsigmoid(z);
        s1 = f32x4.mul(s0, f32x4.sub(splat(1.0), s0));
        s2 = f32x4.mul(s1, fma(splat(-2.0), s0, splat(1.0)));
        if (keep) s3 = f32x4.mul(s1, fma(splat(-6.0), s1, splat(1.0)));
      } else if (id == ACT_SOFTPLUS) {
        // log(1 + e^z) = max(z, 0) + log1p(e^-|z|); derivatives g, g', g'' of the sigmoid g
        const e = vexp(f32x4.neg(f32x4.abs(z)));
        const inv = f32x4.div(splat(1.0), f32x4.add(splat(1.0), e));
        s1 = v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(z, splat(0.0))); // g, no overflow either side
        s2 = f32x4.mul(s1, f32x4.sub(splat(1.0), s1));
        s0 = f32x4.add(f32x4.pmax(z, splat(0.0)), vlog1pUnit(e));
        if (keep) s3 = f32x4.mul(s2, fma(splat(-2.0), s1, splat(1.0)));
      } else if (id == ACT_SILU) {
        // z g: f' = g + z g', f'' = 2 g' + z g'', f''' = 3 g'' + z g'''
        const g = vsigmoid(z);
        const g1 = f32x4.mul(g, f32x4.sub(splat(1.0), g));
        const g2 = f32x4.mul(g1, fma(splat(-2.0), g, splat(1.0)));
        s0 = f32x4.mul(z, g);
        s1 = fma(z, g1, g);
        s2 = fma(z, g2, f32x4.add(g1, g1));
        if (keep) s3 = fma(z, f32x4.mul(g1, fma(splat(-6.0), g1, splat(1.0))), f32x4.mul(splat(3.0), g2));
      }
      v128.store(hr + v, s0);
      v128.store(sr + v, s1);
      v128.store(sr + plane + v, s2);
      if (keep) v128.store(sr + 2 * plane + v, s3);
    }
    emitDerivs(plan, zr, hr, sr, plane, seg, nF, nP);
  }
}

/** Forward: h-stack of rows 0..n from their z-stack (S: one scratch row for s1, s2, planes `plane` apart). */
export function activationForward(act: i32, plan: usize, Z: usize, H: usize, S: usize, plane: usize, n: i32, rowBytes: usize): void {
  switch (act) {
    case ACT_TANH: rows(ACT_TANH, false, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SIN: rows(ACT_SIN, false, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SIGMOID: rows(ACT_SIGMOID, false, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SOFTPLUS: rows(ACT_SOFTPLUS, false, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SILU: rows(ACT_SILU, false, plan, Z, H, S, plane, n, rowBytes); break;
    default: rows(ACT_IDENTITY, false, plan, Z, H, S, plane, n, rowBytes);
  }
}

/** Reverse pass: recompute the h-stack and keep s1..s3 (3 planes at S) for the adjoint. */
export function activationRecompute(act: i32, plan: usize, Z: usize, H: usize, S: usize, plane: usize, n: i32, rowBytes: usize): void {
  switch (act) {
    case ACT_TANH: rows(ACT_TANH, true, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SIN: rows(ACT_SIN, true, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SIGMOID: rows(ACT_SIGMOID, true, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SOFTPLUS: rows(ACT_SOFTPLUS, true, plan, Z, H, S, plane, n, rowBytes); break;
    case ACT_SILU: rows(ACT_SILU, true, plan, Z, H, S, plane, n, rowBytes); break;
    default: rows(ACT_IDENTITY, true, plan, Z, H, S, plane, n, rowBytes);
  }
}

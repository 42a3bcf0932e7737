// Hidden-layer activations, each with its first three derivatives beside it
// (s0 = f(z), s1 = f'(z), s2 = f''(z), s3 = f'''(z)). The forward pass needs s0..s2
// (value, first and second input derivatives); the reverse pass also needs s3.
// Ids must match ACTIVATION_IDS in src/fused/plan.ts.
import { fma, splat, vexp, vlog1pUnit, vsigmoid, vsincos, vtanh } from './simd';

export const ACT_IDENTITY = 0;
export const ACT_TANH = 1;
export const ACT_SIN = 2;
export const ACT_SIGMOID = 3;
export const ACT_SOFTPLUS = 4;
export const ACT_SILU = 5;

// Each *At stores s0..s3 for one vector of pre-activations z at o, o + plane, o + 2 plane, o + 3 plane.

// @ts-ignore: decorator
@inline function identityAt(z: v128, o: usize, plane: usize): void {
  v128.store(o, z);
  v128.store(o + plane, splat(1.0));
  v128.store(o + 2 * plane, splat(0.0));
  v128.store(o + 3 * plane, splat(0.0));
}

// tanh: t' = 1 - t^2, t'' = -2 t t', t''' = -2 t' (1 - 3 t^2).
// @ts-ignore: decorator
@inline function tanhAt(z: v128, o: usize, plane: usize): void {
  const t = vtanh(z);
  const t2 = f32x4.mul(t, t);
  const s1 = f32x4.sub(splat(1.0), t2);
  const s2 = f32x4.mul(splat(-2.0), f32x4.mul(t, s1));
  const s3 = f32x4.mul(splat(-2.0), f32x4.mul(s1, fma(splat(-3.0), t2, splat(1.0))));
  v128.store(o, t);
  v128.store(o + plane, s1);
  v128.store(o + 2 * plane, s2);
  v128.store(o + 3 * plane, s3);
}

// sin: cos, -sin, -cos.
// @ts-ignore: decorator
@inline function sinAt(z: v128, o: usize, plane: usize): void {
  vsincos(z, o, o + plane);
  v128.store(o + 2 * plane, f32x4.neg(v128.load(o)));
  v128.store(o + 3 * plane, f32x4.neg(v128.load(o + plane)));
}

// sigmoid g: g' = g (1 - g), g'' = g' (1 - 2 g), g''' = g' (1 - 6 g').
// @ts-ignore: decorator
@inline function sigmoidAt(z: v128, o: usize, plane: usize): void {
  const g = vsigmoid(z);
  const s1 = f32x4.mul(g, f32x4.sub(splat(1.0), g));
  v128.store(o, g);
  v128.store(o + plane, s1);
  v128.store(o + 2 * plane, f32x4.mul(s1, fma(splat(-2.0), g, splat(1.0))));
  v128.store(o + 3 * plane, f32x4.mul(s1, fma(splat(-6.0), s1, splat(1.0))));
}

// softplus log(1 + e^z) = max(z, 0) + log1p(e^-|z|); its derivatives are sigmoid's: g, g', g''.
// @ts-ignore: decorator
@inline function softplusAt(z: v128, o: usize, plane: usize): void {
  const e = vexp(f32x4.neg(f32x4.abs(z)));
  const inv = f32x4.div(splat(1.0), f32x4.add(splat(1.0), e));
  // g = 1 / (1 + e) for z >= 0, e / (1 + e) for z < 0: no overflow either side.
  const g = v128.bitselect(inv, f32x4.mul(e, inv), f32x4.ge(z, splat(0.0)));
  const g1 = f32x4.mul(g, f32x4.sub(splat(1.0), g));
  v128.store(o, f32x4.add(f32x4.max(z, splat(0.0)), vlog1pUnit(e)));
  v128.store(o + plane, g);
  v128.store(o + 2 * plane, g1);
  v128.store(o + 3 * plane, f32x4.mul(g1, fma(splat(-2.0), g, splat(1.0))));
}

// SiLU z g(z): f' = g + z g', f'' = 2 g' + z g'', f''' = 3 g'' + z g'''.
// @ts-ignore: decorator
@inline function siluAt(z: v128, o: usize, plane: usize): void {
  const g = vsigmoid(z);
  const g1 = f32x4.mul(g, f32x4.sub(splat(1.0), g));
  const g2 = f32x4.mul(g1, fma(splat(-2.0), g, splat(1.0)));
  const g3 = f32x4.mul(g1, fma(splat(-6.0), g1, splat(1.0)));
  v128.store(o, f32x4.mul(z, g));
  v128.store(o + plane, fma(z, g1, g));
  v128.store(o + 2 * plane, fma(z, g2, f32x4.add(g1, g1)));
  v128.store(o + 3 * plane, fma(z, g3, f32x4.mul(splat(3.0), g2)));
}

/**
 * s0..s3 of activation `act` for rows 0..n of the value channel.
 * z: row k at z + k * zStride bytes, P floats each; s: plane q, row k at s + q * plane + k * P * 4.
 */
export function activationRows(act: i32, z: usize, zStride: usize, n: i32, P: i32, s: usize, plane: usize): void {
  const rowBytes = <usize>P << 2;
  for (let k = 0; k < n; k++) {
    const zr = z + <usize>k * zStride;
    const sr = s + <usize>k * rowBytes;
    for (let v: usize = 0; v < rowBytes; v += 16) {
      const x = v128.load(zr + v);
      const o = sr + v;
      switch (act) {
        case ACT_TANH: tanhAt(x, o, plane); break;
        case ACT_SIN: sinAt(x, o, plane); break;
        case ACT_SIGMOID: sigmoidAt(x, o, plane); break;
        case ACT_SOFTPLUS: softplusAt(x, o, plane); break;
        case ACT_SILU: siluAt(x, o, plane); break;
        default: identityAt(x, o, plane);
      }
    }
  }
}

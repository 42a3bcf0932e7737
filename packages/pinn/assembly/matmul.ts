// The two products of the fused kernel, on row-major blocks whose rows are features and
// whose columns are "extended points" (channel-major, then point): every channel of the
// Taylor stack shares the layer's weights, so one product serves them all.
// Register tiles: 4 outputs x 8 points for the product, 4 x 2 weights for the gradient.
import { fma, hsum, splat } from './simd';

/**
 * out[k][e] = sum_j a[j][e] w[j][k] (+ bias[k] where e < biasCount), for e in [0, count).
 * a: nin rows, aStride bytes apart; w: (nin, nout) row-major f32; out: nout rows, outStride bytes apart.
 * count and biasCount are multiples of 8. bias = 0: no bias.
 */
export function matmul(
  a: usize, aStride: usize, nin: i32, w: usize, nout: i32,
  out: usize, outStride: usize, count: i32, bias: usize, biasCount: i32,
): void {
  const wRow = <usize>nout << 2;
  for (let e = 0; e < count; e += 8) {
    const eb = <usize>e << 2;
    const useBias = bias != 0 && e < biasCount;
    let k = 0;
    for (; k + 4 <= nout; k += 4) {
      const kb = <usize>k << 2;
      let b0 = splat(0), b1 = splat(0), b2 = splat(0), b3 = splat(0);
      if (useBias) {
        b0 = v128.load32_splat(bias + kb);
        b1 = v128.load32_splat(bias + kb, 4);
        b2 = v128.load32_splat(bias + kb, 8);
        b3 = v128.load32_splat(bias + kb, 12);
      }
      let c00 = b0, c01 = b0, c10 = b1, c11 = b1, c20 = b2, c21 = b2, c30 = b3, c31 = b3;
      let ap = a + eb;
      let wp = w + kb;
      for (let j = 0; j < nin; j++) {
        const a0 = v128.load(ap);
        const a1 = v128.load(ap, 16);
        let wv = v128.load32_splat(wp);
        c00 = fma(a0, wv, c00); c01 = fma(a1, wv, c01);
        wv = v128.load32_splat(wp, 4);
        c10 = fma(a0, wv, c10); c11 = fma(a1, wv, c11);
        wv = v128.load32_splat(wp, 8);
        c20 = fma(a0, wv, c20); c21 = fma(a1, wv, c21);
        wv = v128.load32_splat(wp, 12);
        c30 = fma(a0, wv, c30); c31 = fma(a1, wv, c31);
        ap += aStride;
        wp += wRow;
      }
      const o = out + <usize>k * outStride + eb;
      v128.store(o, c00); v128.store(o, c01, 16);
      v128.store(o + outStride, c10); v128.store(o + outStride, c11, 16);
      v128.store(o + 2 * outStride, c20); v128.store(o + 2 * outStride, c21, 16);
      v128.store(o + 3 * outStride, c30); v128.store(o + 3 * outStride, c31, 16);
    }
    for (; k < nout; k++) {
      const kb = <usize>k << 2;
      const b = useBias ? v128.load32_splat(bias + kb) : splat(0);
      let c0 = b, c1 = b;
      let ap = a + eb;
      let wp = w + kb;
      for (let j = 0; j < nin; j++) {
        const wv = v128.load32_splat(wp);
        c0 = fma(v128.load(ap), wv, c0);
        c1 = fma(v128.load(ap, 16), wv, c1);
        ap += aStride;
        wp += wRow;
      }
      const o = out + <usize>k * outStride + eb;
      v128.store(o, c0); v128.store(o, c1, 16);
    }
  }
}

// @ts-ignore: decorator
@inline function addTo(g: usize, v: v128): void {
  store<f64>(g, load<f64>(g) + hsum(v));
}

/**
 * g[j][k] += sum_{e < count} a[j][e] dz[k][e]: the weight gradient, accumulated in float64
 * across blocks (g: (nin, nout) row-major f64). count is a multiple of 4.
 */
export function gradW(
  a: usize, aStride: usize, nin: i32, dz: usize, dzStride: usize, nout: i32, count: i32, g: usize,
): void {
  const end = <usize>count << 2;
  const gRow = <usize>nout << 3;
  let j = 0;
  for (; j + 4 <= nin; j += 4) {
    const a0p = a + <usize>j * aStride;
    let k = 0;
    for (; k + 2 <= nout; k += 2) {
      const d0p = dz + <usize>k * dzStride;
      const d1p = d0p + dzStride;
      let c00 = splat(0), c01 = splat(0), c10 = splat(0), c11 = splat(0);
      let c20 = splat(0), c21 = splat(0), c30 = splat(0), c31 = splat(0);
      for (let e: usize = 0; e < end; e += 16) {
        const d0 = v128.load(d0p + e);
        const d1 = v128.load(d1p + e);
        let av = v128.load(a0p + e);
        c00 = fma(av, d0, c00); c01 = fma(av, d1, c01);
        av = v128.load(a0p + aStride + e);
        c10 = fma(av, d0, c10); c11 = fma(av, d1, c11);
        av = v128.load(a0p + 2 * aStride + e);
        c20 = fma(av, d0, c20); c21 = fma(av, d1, c21);
        av = v128.load(a0p + 3 * aStride + e);
        c30 = fma(av, d0, c30); c31 = fma(av, d1, c31);
      }
      const gp = g + <usize>j * gRow + (<usize>k << 3);
      addTo(gp, c00); addTo(gp + 8, c01);
      addTo(gp + gRow, c10); addTo(gp + gRow + 8, c11);
      addTo(gp + 2 * gRow, c20); addTo(gp + 2 * gRow + 8, c21);
      addTo(gp + 3 * gRow, c30); addTo(gp + 3 * gRow + 8, c31);
    }
    for (; k < nout; k++) {
      const d0p = dz + <usize>k * dzStride;
      let c0 = splat(0), c1 = splat(0), c2 = splat(0), c3 = splat(0);
      for (let e: usize = 0; e < end; e += 16) {
        const d0 = v128.load(d0p + e);
        c0 = fma(v128.load(a0p + e), d0, c0);
        c1 = fma(v128.load(a0p + aStride + e), d0, c1);
        c2 = fma(v128.load(a0p + 2 * aStride + e), d0, c2);
        c3 = fma(v128.load(a0p + 3 * aStride + e), d0, c3);
      }
      const gp = g + <usize>j * gRow + (<usize>k << 3);
      addTo(gp, c0); addTo(gp + gRow, c1); addTo(gp + 2 * gRow, c2); addTo(gp + 3 * gRow, c3);
    }
  }
  for (; j < nin; j++) {
    const ap = a + <usize>j * aStride;
    for (let k = 0; k < nout; k++) {
      const dp = dz + <usize>k * dzStride;
      let c = splat(0);
      for (let e: usize = 0; e < end; e += 16) c = fma(v128.load(ap + e), v128.load(dp + e), c);
      addTo(g + <usize>j * gRow + (<usize>k << 3), c);
    }
  }
}

/** g[k] += sum_{e < count} dz[k][e] (bias gradient, value channel only; f64). */
export function gradB(dz: usize, dzStride: usize, nout: i32, count: i32, g: usize): void {
  const end = <usize>count << 2;
  for (let k = 0; k < nout; k++) {
    const dp = dz + <usize>k * dzStride;
    let c = splat(0);
    for (let e: usize = 0; e < end; e += 16) c = f32x4.add(c, v128.load(dp + e));
    addTo(g + (<usize>k << 3), c);
  }
}

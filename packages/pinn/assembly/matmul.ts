// The two products of the fused kernel, on row-major blocks whose rows are features and
// whose columns are "extended points" (channel-major, then point): every channel of the
// Taylor stack shares the layer's weights, so one product serves them all.
// Register tiles (V8 keeps about 13 v128 values in registers before spilling):
// 2 outputs x 16 points for the product, 4 x 2 weights for the gradient.
import { fma, hsum, splat } from './simd';

/**
 * out[k][e] = sum_j a[j][e] w[j][k] (+ bias[k] where e < biasCount), for e in [0, count).
 * a: nin rows, aStride bytes apart; w: (nin, nout) row-major f32; out: nout rows, outStride bytes apart.
 * count and biasCount are multiples of 16. bias = 0: no bias.
 */
export function matmul(
  a: usize, aStride: usize, nin: i32, w: usize, nout: i32,
  out: usize, outStride: usize, count: i32, bias: usize, biasCount: i32,
): void {
  const wRow = <usize>nout << 2;
  for (let e = 0; e < count; e += 16) {
    const eb = <usize>e << 2;
    const useBias = bias != 0 && e < biasCount;
    let k = 0;
    for (; k + 2 <= nout; k += 2) {
      const kb = <usize>k << 2;
      let b0 = splat(0), b1 = splat(0);
      if (useBias) {
        b0 = v128.load32_splat(bias + kb);
        b1 = v128.load32_splat(bias + kb, 4);
      }
      let c00 = b0, c01 = b0, c02 = b0, c03 = b0, c10 = b1, c11 = b1, c12 = b1, c13 = b1;
      let ap = a + eb;
      let wp = w + kb;
      for (let j = 0; j < nin; j++) {
        const w0 = v128.load32_splat(wp), w1 = v128.load32_splat(wp, 4);
        let av = v128.load(ap);
        c00 = fma(av, w0, c00); c10 = fma(av, w1, c10);
        av = v128.load(ap, 16);
        c01 = fma(av, w0, c01); c11 = fma(av, w1, c11);
        av = v128.load(ap, 32);
        c02 = fma(av, w0, c02); c12 = fma(av, w1, c12);
        av = v128.load(ap, 48);
        c03 = fma(av, w0, c03); c13 = fma(av, w1, c13);
        ap += aStride;
        wp += wRow;
      }
      const o = out + <usize>k * outStride + eb;
      v128.store(o, c00); v128.store(o, c01, 16); v128.store(o, c02, 32); v128.store(o, c03, 48);
      const o1 = o + outStride;
      v128.store(o1, c10); v128.store(o1, c11, 16); v128.store(o1, c12, 32); v128.store(o1, c13, 48);
    }
    if (k < nout) {
      // Odd width: the last output row, 4 independent chains.
      const kb = <usize>k << 2;
      const b = useBias ? v128.load32_splat(bias + kb) : splat(0);
      let c0 = b, c1 = b, c2 = b, c3 = b;
      let ap = a + eb;
      let wp = w + kb;
      for (let j = 0; j < nin; j++) {
        const wv = v128.load32_splat(wp);
        c0 = fma(v128.load(ap), wv, c0);
        c1 = fma(v128.load(ap, 16), wv, c1);
        c2 = fma(v128.load(ap, 32), wv, c2);
        c3 = fma(v128.load(ap, 48), wv, c3);
        ap += aStride;
        wp += wRow;
      }
      const o = out + <usize>k * outStride + eb;
      v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48);
    }
  }
}

/**
 * gv[j][k] += lanes of sum_{e < count} a[j][e] dz[k][e]: the weight gradient, in f32x4
 * accumulators (gv: (nin, nout) v128), flushed to float64 every few blocks by flushGrad.
 * count is a multiple of 4.
 */
export function gradW(
  a: usize, aStride: usize, nin: i32, dz: usize, dzStride: usize, nout: i32, count: i32, gv: usize,
): void {
  const end = <usize>count << 2;
  const gRow = <usize>nout << 4;
  let j = 0;
  for (; j + 4 <= nin; j += 4) {
    const a0 = a + <usize>j * aStride, a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride;
    let k = 0;
    for (; k + 2 <= nout; k += 2) {
      const d0p = dz + <usize>k * dzStride, d1p = d0p + dzStride;
      const gp = gv + <usize>j * gRow + (<usize>k << 4);
      let c00 = v128.load(gp), c01 = v128.load(gp, 16);
      let c10 = v128.load(gp + gRow), c11 = v128.load(gp + gRow, 16);
      let c20 = v128.load(gp + 2 * gRow), c21 = v128.load(gp + 2 * gRow, 16);
      let c30 = v128.load(gp + 3 * gRow), c31 = v128.load(gp + 3 * gRow, 16);
      for (let e: usize = 0; e < end; e += 16) {
        const d0 = v128.load(d0p + e), d1 = v128.load(d1p + e);
        let av = v128.load(a0 + e);
        c00 = fma(av, d0, c00); c01 = fma(av, d1, c01);
        av = v128.load(a1 + e);
        c10 = fma(av, d0, c10); c11 = fma(av, d1, c11);
        av = v128.load(a2 + e);
        c20 = fma(av, d0, c20); c21 = fma(av, d1, c21);
        av = v128.load(a3 + e);
        c30 = fma(av, d0, c30); c31 = fma(av, d1, c31);
      }
      v128.store(gp, c00); v128.store(gp, c01, 16);
      v128.store(gp + gRow, c10); v128.store(gp + gRow, c11, 16);
      v128.store(gp + 2 * gRow, c20); v128.store(gp + 2 * gRow, c21, 16);
      v128.store(gp + 3 * gRow, c30); v128.store(gp + 3 * gRow, c31, 16);
    }
    if (k < nout) {
      const d0p = dz + <usize>k * dzStride;
      const gp = gv + <usize>j * gRow + (<usize>k << 4);
      let c0 = v128.load(gp), c1 = v128.load(gp + gRow), c2 = v128.load(gp + 2 * gRow), c3 = v128.load(gp + 3 * gRow);
      for (let e: usize = 0; e < end; e += 16) {
        const d0 = v128.load(d0p + e);
        c0 = fma(v128.load(a0 + e), d0, c0);
        c1 = fma(v128.load(a1 + e), d0, c1);
        c2 = fma(v128.load(a2 + e), d0, c2);
        c3 = fma(v128.load(a3 + e), d0, c3);
      }
      v128.store(gp, c0); v128.store(gp + gRow, c1); v128.store(gp + 2 * gRow, c2); v128.store(gp + 3 * gRow, c3);
    }
  }
  // Leftover input rows (nin not a multiple of 4): one row against 4 outputs at a time.
  for (; j < nin; j++) {
    const ap = a + <usize>j * aStride;
    let k = 0;
    for (; k + 4 <= nout; k += 4) {
      const d0p = dz + <usize>k * dzStride, d1p = d0p + dzStride, d2p = d1p + dzStride, d3p = d2p + dzStride;
      const gp = gv + <usize>j * gRow + (<usize>k << 4);
      let c0 = v128.load(gp), c1 = v128.load(gp, 16), c2 = v128.load(gp, 32), c3 = v128.load(gp, 48);
      for (let e: usize = 0; e < end; e += 16) {
        const av = v128.load(ap + e);
        c0 = fma(av, v128.load(d0p + e), c0);
        c1 = fma(av, v128.load(d1p + e), c1);
        c2 = fma(av, v128.load(d2p + e), c2);
        c3 = fma(av, v128.load(d3p + e), c3);
      }
      v128.store(gp, c0); v128.store(gp, c1, 16); v128.store(gp, c2, 32); v128.store(gp, c3, 48);
    }
    for (; k < nout; k++) {
      const dp = dz + <usize>k * dzStride;
      const gp = gv + <usize>j * gRow + (<usize>k << 4);
      let c = v128.load(gp);
      for (let e: usize = 0; e < end; e += 16) c = fma(v128.load(ap + e), v128.load(dp + e), c);
      v128.store(gp, c);
    }
  }
}

/** g[i] += sum of the lanes of gv[i], then gv[i] = 0, for i < count (float64 accumulation across blocks). */
export function flushGrad(gv: usize, g: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const p = gv + (<usize>i << 4);
    const q = g + (<usize>i << 3);
    store<f64>(q, load<f64>(q) + hsum(v128.load(p)));
    v128.store(p, splat(0));
  }
}

/** g[k] += sum_{e < count} dz[k][e] (bias gradient, value channel only; f64). */
export function gradB(dz: usize, dzStride: usize, nout: i32, count: i32, g: usize): void {
  const end = <usize>count << 2;
  for (let k = 0; k < nout; k++) {
    const dp = dz + <usize>k * dzStride;
    let c0 = splat(0), c1 = splat(0);
    for (let e: usize = 0; e < end; e += 32) {
      c0 = f32x4.add(c0, v128.load(dp + e));
      c1 = f32x4.add(c1, v128.load(dp + e, 16));
    }
    const q = g + (<usize>k << 3);
    store<f64>(q, load<f64>(q) + hsum(f32x4.add(c0, c1)));
  }
}

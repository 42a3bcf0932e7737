// Fused Taylor-mode MLP kernel: value, first and second input derivatives of an MLP
// (forward), and the gradients of any loss of them with respect to weights, biases and
// inputs (reverse, by hand). SIMD runs across points; points are processed in blocks of
// P so that a block's whole Taylor stack stays in cache.
//
// Per hidden layer, with channels c = value, first derivatives (i), pairs (i, j):
//   z = a W + b,  z_i = a_i W,  z_ij = a_ij W
//   h = f(z),  h_i = f'(z) z_i,  h_ij = f''(z) z_i z_j + f'(z) z_ij
// and the adjoints (from dh, dh_i, dh_ij):
//   dz_ij = f' dh_ij
//   dz_i  = f' dh_i + f'' sum_{pairs (i,j)} dh_ij z_j   (both ends of each pair)
//   dz    = f' dh + f'' sum_i dh_i z_i + sum_ij dh_ij (f''' z_i z_j + f'' z_ij)
// and with third-derivative channels h_iii = f' z_iii + 3 f'' z_i z_ii + f''' z_i^3:
//   dz_iii = f' dh_iii,  dz_ii += 3 f'' z_i dh_iii,  dz_i += 3 (f'' z_ii + f''' z_i^2) dh_iii,
//   dz += (f'' z_iii + 3 f''' z_i z_ii + f'''' z_i^3) dh_iii
//   dW += a^T dz over all channels,  db += sum dz (value channel),  da = dz W^T.
// Block layout: a feature row holds C channel segments of P points ("extended points").
// The forward pass keeps each hidden layer's z-stack on the tape, with two planes of the
// activation per row (e.g. tanh and tanh'); the reverse pass restores h and f', f'', f'''
// from them with a few multiplies (recomputing exp and a division cost 3x more).
import * as P_ from './plan';
import { activationForward, activationRestore } from './activations';
import { fma, initConstants, kc, K_BYTES, K_THREE } from './simd';
import { flushGrad, gradB, gradW, matmul } from './matmul';

/** Blocks between float64 flushes of the f32x4 weight-gradient accumulators. */
const FLUSH_EVERY = 16;

// @ts-ignore: decorator
@inline function pl(plan: usize, i: i32): i32 {
  return load<i32>(plan + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function pp(plan: usize, i: i32): usize {
  return <usize>load<u32>(plan + (<usize>i << 2));
}

/**
 * Layer 0's input stack for the block starting at point p0: the host's stack when it gives
 * one (an embedding's value and derivatives, one (N, n_0) array per channel), else x, unit
 * vectors e_i and zeros.
 */
function inputBlock(plan: usize, A: usize, rowBytes: usize, p0: i32): void {
  const d = pl(plan, P_.PL_D), C = pl(plan, P_.PL_C), nF = pl(plan, P_.PL_NF);
  const P = pl(plan, P_.PL_P), N = pl(plan, P_.PL_N);
  if (pp(plan, P_.PL_IN) != 0) {
    const n0 = pl(plan, P_.PL_WIDTHS);
    for (let c = 0; c < C; c++) {
      const src = pp(plan, P_.PL_IN + c);
      for (let j = 0; j < n0; j++) {
        const seg = A + <usize>j * rowBytes + ((<usize>c * P) << 2);
        for (let p = 0; p < P; p++) {
          const gp = p0 + p;
          store<f32>(seg + (<usize>p << 2), gp < N ? load<f32>(src + ((<usize>gp * n0 + j) << 2)) : 0);
        }
      }
    }
    return;
  }
  const x = pp(plan, P_.PL_X);
  for (let j = 0; j < d; j++) {
    const row = A + <usize>j * rowBytes;
    for (let p = 0; p < P; p++) {
      const gp = p0 + p;
      store<f32>(row + (<usize>p << 2), gp < N ? load<f32>(x + ((<usize>gp * d + j) << 2)) : 0);
    }
    for (let c = 1; c < C; c++) {
      const one: f32 = c - 1 < nF && pl(plan, P_.PL_DIRS + c - 1) == j ? 1 : 0;
      const seg = row + ((<usize>c * P) << 2);
      for (let p = 0; p < P; p++) store<f32>(seg + (<usize>p << 2), one);
    }
  }
}

/** dz-stack from the dh-stack, the z-stack and s1..s3 (3 planes at S, s4 in a fourth with triples; adjoint rule above). */
function activationBack(plan: usize, DH: usize, Z: usize, S: usize, plane: usize, DZ: usize, n: i32, rowBytes: usize, K: usize): void {
  const nF = pl(plan, P_.PL_NF), nP = pl(plan, P_.PL_NP), P = pl(plan, P_.PL_P), nT = pl(plan, P_.PL_NT);
  const three = kc(K, K_THREE);
  const seg = <usize>P << 2;
  for (let k = 0; k < n; k++) {
    const zr = Z + <usize>k * rowBytes, hr = DH + <usize>k * rowBytes, dr = DZ + <usize>k * rowBytes;
    const s1p = S + <usize>k * seg, s2p = s1p + plane, s3p = s2p + plane;
    // Channel-outer, point-inner: every loop below is a tight pass over P points.
    for (let v: usize = 0; v < seg; v += 16) v128.store(dr + v, f32x4.mul(v128.load(s1p + v), v128.load(hr + v)));
    let off = seg;
    for (let i = 0; i < nF; i++) {
      const zi = zr + off, hi = hr + off, di = dr + off;
      for (let v: usize = 0; v < seg; v += 16) {
        const dhi = v128.load(hi + v);
        v128.store(dr + v, fma(f32x4.mul(v128.load(s2p + v), dhi), v128.load(zi + v), v128.load(dr + v)));
        v128.store(di + v, f32x4.mul(v128.load(s1p + v), dhi));
      }
      off += seg;
    }
    for (let q = 0; q < nP; q++) {
      const o = plan + ((<usize>(P_.PL_PAIROFF + 3 * q)) << 2);
      const oa = <usize>load<i32>(o), ob = <usize>load<i32>(o, 4), oq = <usize>load<i32>(o, 8);
      const za = zr + oa, zb = zr + ob, zq = zr + oq, hq = hr + oq, dq = dr + oq, da = dr + oa, db = dr + ob;
      for (let v: usize = 0; v < seg; v += 16) {
        const s1 = v128.load(s1p + v), s2 = v128.load(s2p + v);
        const dhq = v128.load(hq + v);
        const a = v128.load(za + v), b = v128.load(zb + v);
        v128.store(dq + v, f32x4.mul(s1, dhq));
        v128.store(dr + v, fma(dhq, fma(f32x4.mul(v128.load(s3p + v), a), b, f32x4.mul(s2, v128.load(zq + v))), v128.load(dr + v)));
        const t = f32x4.mul(s2, dhq);
        // For a diagonal pair (i, i) both lines add to the same channel: 2 s2 dh_ii z_i.
        v128.store(da + v, fma(t, b, v128.load(da + v)));
        v128.store(db + v, fma(t, a, v128.load(db + v)));
      }
    }
    for (let q = 0; q < nT; q++) {
      const o = plan + ((<usize>(P_.PL_TRIPOFF + 3 * q)) << 2);
      const o1 = <usize>load<i32>(o), o2 = <usize>load<i32>(o, 4), o3 = <usize>load<i32>(o, 8);
      const s4p = s3p + plane;
      for (let v: usize = 0; v < seg; v += 16) {
        const s1 = v128.load(s1p + v), s2 = v128.load(s2p + v), s3 = v128.load(s3p + v), s4 = v128.load(s4p + v);
        const dh = v128.load(hr + o3 + v);
        const z1 = v128.load(zr + o1 + v), z2 = v128.load(zr + o2 + v), z3 = v128.load(zr + o3 + v);
        const z11 = f32x4.mul(z1, z1);
        v128.store(dr + o3 + v, f32x4.mul(s1, dh));
        const t = f32x4.mul(three, dh);
        v128.store(dr + o2 + v, fma(f32x4.mul(t, s2), z1, v128.load(dr + o2 + v)));
        v128.store(dr + o1 + v, fma(t, fma(s3, z11, f32x4.mul(s2, z2)), v128.load(dr + o1 + v)));
        // f'' z_iii + 3 f''' z_i z_ii + f'''' z_i^3
        const c0 = fma(f32x4.mul(s4, z11), z1, fma(f32x4.mul(f32x4.mul(three, s3), z1), z2, f32x4.mul(s2, z3)));
        v128.store(dr + v, fma(c0, dh, v128.load(dr + v)));
      }
    }
  }
}

/** Output stack (m rows) to the per-channel (N, m) outputs. */
function scatterOut(plan: usize, U: usize, rowBytes: usize, p0: i32): void {
  const m = pl(plan, P_.PL_M), C = pl(plan, P_.PL_C), P = pl(plan, P_.PL_P), N = pl(plan, P_.PL_N);
  const cnt = min(P, N - p0);
  for (let c = 0; c < C; c++) {
    const out = pp(plan, P_.PL_OUT + c);
    if (out == 0) continue;
    for (let o = 0; o < m; o++) {
      const row = U + <usize>o * rowBytes + ((<usize>c * P) << 2);
      for (let p = 0; p < cnt; p++) {
        store<f32>(out + ((<usize>(p0 + p) * m + o) << 2), load<f32>(row + (<usize>p << 2)));
      }
    }
  }
}

/** Per-channel upstream gradients (N, m) into a stack of m rows (zeros where absent or padded). */
function gatherDy(plan: usize, DY: usize, rowBytes: usize, p0: i32): void {
  const m = pl(plan, P_.PL_M), C = pl(plan, P_.PL_C), P = pl(plan, P_.PL_P), N = pl(plan, P_.PL_N);
  for (let c = 0; c < C; c++) {
    const dy = pp(plan, P_.PL_DY + c);
    for (let o = 0; o < m; o++) {
      const row = DY + <usize>o * rowBytes + ((<usize>c * P) << 2);
      for (let p = 0; p < P; p++) {
        const gp = p0 + p;
        store<f32>(row + (<usize>p << 2), dy != 0 && gp < N ? load<f32>(dy + ((<usize>gp * m + o) << 2)) : 0);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function rowBytesOf(plan: usize): usize {
  return (<usize>(pl(plan, P_.PL_C) * pl(plan, P_.PL_P))) << 2;
}

// @ts-ignore: decorator
@inline function tapeAt(plan: usize, l: i32, b: i32, rowBytes: usize): usize {
  // Per hidden layer and block: the z-stack (n rows), then the activation's two saved planes per row.
  const n = <usize>pl(plan, P_.PL_WIDTHS + l + 1);
  const saved = (<usize>pl(plan, P_.PL_P) << 3);
  return pp(plan, P_.PL_TAPE) + pp(plan, P_.PL_TAPEOFF + l) + <usize>b * n * (rowBytes + saved);
}

/** The saved planes of hidden layer l in block b (2 seg per row), after its z-stack on the tape. */
// @ts-ignore: decorator
@inline function savedAt(plan: usize, l: i32, b: i32, rowBytes: usize): usize {
  return tapeAt(plan, l, b, rowBytes) + <usize>pl(plan, P_.PL_WIDTHS + l + 1) * rowBytes;
}

// Scratch of one thread (runtime.ts sizes it): six buffers of maxW rows (A, H, Z without a
// tape, DH, DZ, U), then two sets of 4 planes of maxW x P floats (s1..s4 of two layers),
// then the constant table (K_BYTES, simd.ts).

/** Bytes of the constant table at the end of a thread's scratch (the host adds this much). */
export function constantBytes(): i32 {
  return K_BYTES;
}

/** Forward pass over blocks [b0, b1): writes the requested channels; keeps the z-stacks on the tape if any. */
export function forward(plan: usize, b0: i32, b1: i32, scratch: usize): void {
  const NL = pl(plan, P_.PL_NL), P = pl(plan, P_.PL_P);
  const maxW = <usize>pl(plan, P_.PL_MAXW);
  const rowBytes = rowBytesOf(plan);
  const buf = maxW * rowBytes;
  const plane = maxW * (<usize>P << 2);
  const A = scratch, H = scratch + buf, ZS = scratch + 2 * buf, U = scratch + 5 * buf, S = scratch + 6 * buf;
  const K = S + 8 * plane;
  initConstants(K);
  const hasTape = pl(plan, P_.PL_TAPE) != 0;
  const E = pl(plan, P_.PL_C) * P;
  for (let b = b0; b < b1; b++) {
    const p0 = b * P;
    inputBlock(plan, A, rowBytes, p0);
    let cur = A, nxt = H;
    for (let l = 0; l < NL - 1; l++) {
      const nin = pl(plan, P_.PL_WIDTHS + l), nout = pl(plan, P_.PL_WIDTHS + l + 1);
      const Z = hasTape ? tapeAt(plan, l, b, rowBytes) : ZS;
      matmul(cur, rowBytes, nin, pp(plan, P_.PL_W + l), nout, Z, rowBytes, E, pp(plan, P_.PL_B + l), P);
      activationForward(pl(plan, P_.PL_ACTS + l), plan, Z, hasTape ? savedAt(plan, l, b, rowBytes) : 0, nxt, S, plane, nout, rowBytes, K);
      const t = cur; cur = nxt; nxt = t;
    }
    const l = NL - 1;
    matmul(cur, rowBytes, pl(plan, P_.PL_WIDTHS + l), pp(plan, P_.PL_W + l), pl(plan, P_.PL_M), U, rowBytes, E, pp(plan, P_.PL_B + l), P);
    scatterOut(plan, U, rowBytes, p0);
  }
}

/** Add every layer's f32x4 weight-gradient accumulators into its float64 gradient. */
function flushAll(plan: usize, grads: usize): void {
  const NL = pl(plan, P_.PL_NL);
  for (let l = 0; l < NL; l++) {
    const n = pl(plan, P_.PL_WIDTHS + l) * pl(plan, P_.PL_WIDTHS + l + 1);
    flushGrad(grads + pp(plan, P_.PL_GV + l), grads + pp(plan, P_.PL_GW + l), n);
  }
}

/**
 * Reverse pass over blocks [b0, b1) from the tape of a forward pass with the same plan:
 * accumulates weight and bias gradients (f64) at `grads` (zeroed by the host, f32x4
 * accumulators included), writes dL/dx if asked.
 */
export function backward(plan: usize, b0: i32, b1: i32, scratch: usize, grads: usize): void {
  const NL = pl(plan, P_.PL_NL), P = pl(plan, P_.PL_P);
  const d = pl(plan, P_.PL_D), m = pl(plan, P_.PL_M), N = pl(plan, P_.PL_N);
  const maxW = <usize>pl(plan, P_.PL_MAXW);
  const rowBytes = rowBytesOf(plan);
  const buf = maxW * rowBytes;
  const plane = maxW * (<usize>P << 2);
  const A = scratch, DH = scratch + 3 * buf, DZ = scratch + 4 * buf, U = scratch + 5 * buf;
  let Scur = scratch + 6 * buf, Sprev = Scur + 4 * plane;
  const K = Scur + 8 * plane;
  initConstants(K);
  const E = pl(plan, P_.PL_C) * P;
  const xbar = pp(plan, P_.PL_XBAR);
  const L = NL - 1;
  for (let b = b0; b < b1; b++) {
    const p0 = b * P;
    // Output layer (linear): h_L from the last tape entry, then dW, db and dh_L.
    const nL = pl(plan, P_.PL_WIDTHS + L);
    if (L > 0) {
      activationRestore(pl(plan, P_.PL_ACTS + L - 1), plan, tapeAt(plan, L - 1, b, rowBytes), savedAt(plan, L - 1, b, rowBytes), A, Scur, plane, nL, rowBytes, K);
    } else {
      inputBlock(plan, A, rowBytes, p0);
    }
    gatherDy(plan, U, rowBytes, p0);
    gradW(A, rowBytes, nL, U, rowBytes, m, E, grads + pp(plan, P_.PL_GV + L));
    gradB(U, rowBytes, m, P, grads + pp(plan, P_.PL_GB + L));
    // Walk down the hidden layers; `up` holds the adjoint of the stack above (nUp rows),
    // `down` receives this layer's pre-activation adjoint (ping-pong, no copies).
    let up = U, down = DZ;
    let nUp = m;
    for (let l = L; l >= 1; l--) {
      const n = pl(plan, P_.PL_WIDTHS + l);
      matmul(up, rowBytes, nUp, pp(plan, P_.PL_WT + l), n, DH, rowBytes, E, 0, 0);
      activationBack(plan, DH, tapeAt(plan, l - 1, b, rowBytes), Scur, plane, down, n, rowBytes, K);
      gradB(down, rowBytes, n, P, grads + pp(plan, P_.PL_GB + l - 1));
      const nin = pl(plan, P_.PL_WIDTHS + l - 1);
      if (l > 1) {
        activationRestore(pl(plan, P_.PL_ACTS + l - 2), plan, tapeAt(plan, l - 2, b, rowBytes), savedAt(plan, l - 2, b, rowBytes), A, Sprev, plane, nin, rowBytes, K);
        const t = Scur; Scur = Sprev; Sprev = t;
      } else {
        inputBlock(plan, A, rowBytes, p0);
      }
      gradW(A, rowBytes, nin, down, rowBytes, n, E, grads + pp(plan, P_.PL_GV + l - 1));
      const t = up; up = down; down = t;
      nUp = n;
    }
    if (pp(plan, P_.PL_IN) != 0) {
      // Adjoint of the whole input stack: da_c = dz_c W_0^T for every channel c.
      const n0 = pl(plan, P_.PL_WIDTHS), C = pl(plan, P_.PL_C);
      matmul(up, rowBytes, nUp, pp(plan, P_.PL_WT), n0, DH, rowBytes, E, 0, 0);
      const cnt = min(P, N - p0);
      for (let c = 0; c < C; c++) {
        const dst = pp(plan, P_.PL_INBAR + c);
        if (dst == 0) continue;
        for (let j = 0; j < n0; j++) {
          const seg = DH + <usize>j * rowBytes + ((<usize>c * P) << 2);
          for (let p = 0; p < cnt; p++) {
            store<f32>(dst + ((<usize>(p0 + p) * n0 + j) << 2), load<f32>(seg + (<usize>p << 2)));
          }
        }
      }
    } else if (xbar != 0) {
      // dL/dx = dz_1 (value channel) W_0^T: d rows of P points into the DH buffer.
      matmul(up, rowBytes, nUp, pp(plan, P_.PL_WT), d, DH, rowBytes, P, 0, 0);
      const cnt = min(P, N - p0);
      for (let j = 0; j < d; j++) {
        for (let p = 0; p < cnt; p++) {
          store<f32>(xbar + ((<usize>(p0 + p) * d + j) << 2), load<f32>(DH + <usize>j * rowBytes + (<usize>p << 2)));
        }
      }
    }
    if ((b - b0) % FLUSH_EVERY == FLUSH_EVERY - 1) flushAll(plan, grads);
  }
  flushAll(plan, grads);
}

// Row-major float32 matrix product for the fused dense stack, in a memory shared with tfjs-backend-wasm
// (imported), four lanes at a time: out (m, n) = A (m, k) b (k, n), plus bias (n) on every row when bias != 0,
// where A[i][j] is the float at a + i * aRow + j * aCol (byte strides: aRow = 4k, aCol = 4 for a row-major a;
// aRow = 4, aCol = 4m for the transpose of a row-major (k, m) matrix). Pointers are byte offsets. Tiles of 4 rows x 8 columns keep 8 accumulators in registers; narrower column
// blocks and leftover rows take smaller tiles, and the last n % 4 columns scalar code. Every output is summed
// over k in order, in float32.
export function gemm(
  a: usize,
  aRow: usize,
  aCol: usize,
  b: usize,
  out: usize,
  m: i32,
  k: i32,
  n: i32,
  bias: usize,
): void {
  const rowA = aRow;
  const rowB = (<usize>n) << 2;
  const n8 = n & ~7;
  const n4 = n & ~3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    const a2 = a1 + rowA;
    const a3 = a2 + rowA;
    const o0 = out + <usize>i * rowB;
    const o1 = o0 + rowB;
    const o2 = o1 + rowB;
    const o3 = o2 + rowB;
    let c = 0;
    for (; c < n8; c += 8) {
      const cb = (<usize>c) << 2;
      const z0 = bias ? v128.load(bias + cb) : f32x4.splat(0);
      const z1 = bias ? v128.load(bias + cb, 16) : f32x4.splat(0);
      let c00 = z0;
      let c01 = z1;
      let c10 = z0;
      let c11 = z1;
      let c20 = z0;
      let c21 = z1;
      let c30 = z0;
      let c31 = z1;
      let bp = b + cb;
      for (let j = 0; j < k; j++) {
        const jb = <usize>j * aCol;
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let x = v128.load32_splat(a0 + jb);
        c00 = f32x4.add(c00, f32x4.mul(x, b0));
        c01 = f32x4.add(c01, f32x4.mul(x, b1));
        x = v128.load32_splat(a1 + jb);
        c10 = f32x4.add(c10, f32x4.mul(x, b0));
        c11 = f32x4.add(c11, f32x4.mul(x, b1));
        x = v128.load32_splat(a2 + jb);
        c20 = f32x4.add(c20, f32x4.mul(x, b0));
        c21 = f32x4.add(c21, f32x4.mul(x, b1));
        x = v128.load32_splat(a3 + jb);
        c30 = f32x4.add(c30, f32x4.mul(x, b0));
        c31 = f32x4.add(c31, f32x4.mul(x, b1));
        bp += rowB;
      }
      v128.store(o0 + cb, c00);
      v128.store(o0 + cb, c01, 16);
      v128.store(o1 + cb, c10);
      v128.store(o1 + cb, c11, 16);
      v128.store(o2 + cb, c20);
      v128.store(o2 + cb, c21, 16);
      v128.store(o3 + cb, c30);
      v128.store(o3 + cb, c31, 16);
    }
    for (; c < n4; c += 4) {
      const cb = (<usize>c) << 2;
      const z = bias ? v128.load(bias + cb) : f32x4.splat(0);
      let c0 = z;
      let c1 = z;
      let c2 = z;
      let c3 = z;
      let bp = b + cb;
      for (let j = 0; j < k; j++) {
        const jb = <usize>j * aCol;
        const bv = v128.load(bp);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0 + jb), bv));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a1 + jb), bv));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a2 + jb), bv));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a3 + jb), bv));
        bp += rowB;
      }
      v128.store(o0 + cb, c0);
      v128.store(o1 + cb, c1);
      v128.store(o2 + cb, c2);
      v128.store(o3 + cb, c3);
    }
    for (; c < n; c++) {
      const cb = (<usize>c) << 2;
      const z: f32 = bias ? load<f32>(bias + cb) : 0;
      let s0 = z;
      let s1 = z;
      let s2 = z;
      let s3 = z;
      let bp = b + cb;
      for (let j = 0; j < k; j++) {
        const jb = <usize>j * aCol;
        const bv = load<f32>(bp);
        s0 += load<f32>(a0 + jb) * bv;
        s1 += load<f32>(a1 + jb) * bv;
        s2 += load<f32>(a2 + jb) * bv;
        s3 += load<f32>(a3 + jb) * bv;
        bp += rowB;
      }
      store<f32>(o0 + cb, s0);
      store<f32>(o1 + cb, s1);
      store<f32>(o2 + cb, s2);
      store<f32>(o3 + cb, s3);
    }
  }
  for (; i < m; i++) {
    const ar = a + <usize>i * rowA;
    const or = out + <usize>i * rowB;
    let c = 0;
    for (; c < n4; c += 4) {
      const cb = (<usize>c) << 2;
      let acc = bias ? v128.load(bias + cb) : f32x4.splat(0);
      let bp = b + cb;
      for (let j = 0; j < k; j++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ar + <usize>j * aCol), v128.load(bp)));
        bp += rowB;
      }
      v128.store(or + cb, acc);
    }
    for (; c < n; c++) {
      const cb = (<usize>c) << 2;
      let s: f32 = bias ? load<f32>(bias + cb) : 0;
      let bp = b + cb;
      for (let j = 0; j < k; j++) {
        s += load<f32>(ar + <usize>j * aCol) * load<f32>(bp);
        bp += rowB;
      }
      store<f32>(or + cb, s);
    }
  }
}

// Adam's update over float32 arrays in a memory shared with tfjs-backend-wasm (imported), four
// lanes at a time: m' = b1 m + c1 g; v' = b2 v + c2 g^2; w' = w - k1 m' / (sqrt(k2 v') + eps).
// Pointers are byte offsets; n is a multiple of 4 (the host does the tail).
export function adam(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  wo: usize,
  mo: usize,
  vo: usize,
  n: i32,
  b1: f32,
  c1: f32,
  b2: f32,
  c2: f32,
  k1: f32,
  k2: f32,
  eps: f32,
): void {
  const B1 = f32x4.splat(b1),
    C1 = f32x4.splat(c1),
    B2 = f32x4.splat(b2),
    C2 = f32x4.splat(c2);
  const K1 = f32x4.splat(k1),
    K2 = f32x4.splat(k2),
    E = f32x4.splat(eps);
  const bytes = (<usize>n) << 2;
  for (let i: usize = 0; i < bytes; i += 16) {
    const gi = v128.load(g + i);
    const mi = f32x4.add(f32x4.mul(v128.load(m + i), B1), f32x4.mul(gi, C1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + i), B2), f32x4.mul(f32x4.mul(gi, gi), C2));
    v128.store(mo + i, mi);
    v128.store(vo + i, vi);
    const step = f32x4.div(f32x4.mul(K1, mi), f32x4.add(f32x4.sqrt(f32x4.mul(vi, K2)), E));
    v128.store(wo + i, f32x4.sub(v128.load(w + i), step));
  }
}

/**
 * L-BFGS curvature memory and the two-loop recursion (Nocedal & Wright, Algorithm 7.4),
 * all in float64 on the JS side.
 */

/** Dot product of two equal-length vectors. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The m most recent pairs s_k = x_{k+1} - x_k, y_k = g_{k+1} - g_k (oldest first). */
export class LbfgsMemory {
  readonly s: Float64Array[] = [];
  readonly y: Float64Array[] = [];
  private readonly rho: number[] = [];

  /** @param size number of pairs kept (m) */
  constructor(readonly size: number) {}

  get length(): number {
    return this.s.length;
  }

  /**
   * Add a pair if it has positive curvature s.y > 0 (needed for a positive-definite H);
   * returns false when the pair was skipped.
   */
  push(s: Float64Array, y: Float64Array): boolean {
    const sy = dot(s, y);
    if (!(sy > 1e-10 * dot(y, y))) return false;
    if (this.s.length === this.size) {
      this.s.shift();
      this.y.shift();
      this.rho.shift();
    }
    this.s.push(s);
    this.y.push(y);
    this.rho.push(1 / sy);
    return true;
  }

  clear(): void {
    this.s.length = 0;
    this.y.length = 0;
    this.rho.length = 0;
  }

  /**
   * Search direction d = -H g, with H the L-BFGS inverse-Hessian approximation and
   * H0 = gamma I, gamma = s.y / y.y of the newest pair (N&W eq. 7.20); d = -g with no pairs.
   */
  direction(g: Float64Array): Float64Array {
    const k = this.s.length;
    const q = Float64Array.from(g);
    const alpha = new Array<number>(k);
    for (let i = k - 1; i >= 0; i--) {
      alpha[i] = this.rho[i] * dot(this.s[i], q);
      const yi = this.y[i];
      for (let j = 0; j < q.length; j++) q[j] -= alpha[i] * yi[j];
    }
    const gamma = k > 0 ? dot(this.s[k - 1], this.y[k - 1]) / dot(this.y[k - 1], this.y[k - 1]) : 1;
    for (let j = 0; j < q.length; j++) q[j] *= gamma;
    for (let i = 0; i < k; i++) {
      const beta = this.rho[i] * dot(this.y[i], q);
      const si = this.s[i];
      for (let j = 0; j < q.length; j++) q[j] += si[j] * (alpha[i] - beta);
    }
    for (let j = 0; j < q.length; j++) q[j] = -q[j];
    return q;
  }

  /** JSON-able copy (for checkpoints). */
  toJSON(): { s: number[][]; y: number[][] } {
    return { s: this.s.map((v) => Array.from(v)), y: this.y.map((v) => Array.from(v)) };
  }

  /** Replace the pairs with saved ones. */
  load(saved: { s: number[][]; y: number[][] }): void {
    this.clear();
    saved.s.forEach((s, i) => this.push(Float64Array.from(s), Float64Array.from(saved.y[i])));
  }
}

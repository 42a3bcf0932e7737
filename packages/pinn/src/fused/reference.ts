/**
 * A float64 reference for the fused kernel, in plain TypeScript (no tfjs, no SIMD): the same
 * Taylor-mode forward pass and hand-written reverse pass, one point at a time. Tests hold the
 * kernel to it, and hold it to central finite differences.
 */
import type { ChannelPlan, FusedActivation } from './plan';

/** An MLP in float64: sizes [d, ..., m]; W_l (n_l, n_{l+1}) row-major; b_l (n_{l+1}). */
export interface ReferenceNet {
  readonly sizes: readonly number[];
  readonly activation: FusedActivation;
  /** Per hidden layer, when they differ; default `activation`. */
  readonly activations?: readonly FusedActivation[];
  readonly weights: readonly Float64Array[];
  readonly biases: readonly Float64Array[];
}

/** [f, f', f'', f''', f''''] at z. */
export function activation64(name: FusedActivation, z: number): [number, number, number, number, number] {
  switch (name) {
    case 'identity':
      return [z, 1, 0, 0, 0];
    case 'tanh': {
      const t = Math.tanh(z);
      const s1 = 1 - t * t;
      return [t, s1, -2 * t * s1, -2 * s1 * (1 - 3 * t * t), 8 * t * s1 * (2 - 3 * t * t)];
    }
    case 'sin':
      return [Math.sin(z), Math.cos(z), -Math.sin(z), -Math.cos(z), Math.sin(z)];
    case 'sigmoid': {
      const g = 1 / (1 + Math.exp(-z));
      const g1 = g * (1 - g);
      const g2 = g1 * (1 - 2 * g);
      return [g, g1, g2, g1 * (1 - 6 * g1), g2 * (1 - 12 * g1)];
    }
    case 'softplus': {
      const g = 1 / (1 + Math.exp(-z));
      const g1 = g * (1 - g);
      return [Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))), g, g1, g1 * (1 - 2 * g), g1 * (1 - 6 * g1)];
    }
    case 'silu': {
      const g = 1 / (1 + Math.exp(-z));
      const g1 = g * (1 - g);
      const g2 = g1 * (1 - 2 * g);
      const g3 = g1 * (1 - 6 * g1);
      const g4 = g2 * (1 - 12 * g1);
      return [z * g, g + z * g1, 2 * g1 + z * g2, 3 * g2 + z * g3, 4 * g3 + z * g4];
    }
  }
}

interface PointTrace {
  readonly a: number[][][]; // per layer l: input stack (C, n_l)
  readonly z: number[][][]; // per hidden layer: pre-activation stack (C, n_{l+1})
  readonly out: number[][]; // (C, m)
}

function tracePoint(net: ReferenceNet, x: ArrayLike<number>, plan: ChannelPlan): PointTrace {
  const { sizes } = net;
  const NL = sizes.length - 1;
  const C = plan.channels;
  const nF = plan.first.length;
  const nP = plan.pairs.length;
  let a: number[][] = Array.from({ length: C }, (_, c) =>
    Array.from({ length: sizes[0] }, (_, j) => (c === 0 ? x[j] : c <= nF && plan.first[c - 1] === j ? 1 : 0)),
  );
  const as: number[][][] = [];
  const zs: number[][][] = [];
  for (let l = 0; l < NL; l++) {
    as.push(a);
    const [ni, no] = [sizes[l], sizes[l + 1]];
    const W = net.weights[l];
    const z = a.map((row, c) =>
      Array.from({ length: no }, (_, k) => {
        let s = c === 0 ? net.biases[l][k] : 0;
        for (let j = 0; j < ni; j++) s += row[j] * W[j * no + k];
        return s;
      }),
    );
    if (l === NL - 1) return { a: as, z: zs, out: z };
    zs.push(z);
    const h = z.map((row) => row.slice());
    for (let k = 0; k < no; k++) {
      const [s0, s1, s2, s3] = activation64(net.activations?.[l] ?? net.activation, z[0][k]);
      h[0][k] = s0;
      for (let i = 0; i < nF; i++) h[1 + i][k] = s1 * z[1 + i][k];
      plan.pairs.forEach(([pa, pb], q) => {
        h[1 + nF + q][k] = s2 * z[1 + pa][k] * z[1 + pb][k] + s1 * z[1 + nF + q][k];
      });
      (plan.triples ?? []).forEach(([pa, q], t) => {
        const [z1, z2, z3] = [z[1 + pa][k], z[1 + nF + q][k], z[1 + nF + nP + t][k]];
        h[1 + nF + nP + t][k] = s1 * z3 + 3 * s2 * z1 * z2 + s3 * z1 * z1 * z1;
      });
    }
    a = h;
  }
  throw new Error('unreachable');
}

/** Every channel of the output stack: (C) arrays of (n, m), x: (n, d) row-major. */
export function referenceForward(
  net: ReferenceNet,
  x: ArrayLike<number>,
  n: number,
  plan: ChannelPlan,
): Float64Array[] {
  const d = net.sizes[0];
  const m = net.sizes[net.sizes.length - 1];
  const out = Array.from({ length: plan.channels }, () => new Float64Array(n * m));
  for (let p = 0; p < n; p++) {
    const t = tracePoint(
      net,
      Array.from({ length: d }, (_, j) => x[p * d + j]),
      plan,
    );
    t.out.forEach((row, c) => row.forEach((v, o) => (out[c][p * m + o] = v)));
  }
  return out;
}

/**
 * Gradients of L = sum_c <dys[c], channel c> (dys[c]: (n, m) or null) with respect to the
 * weights, biases and x, by the hand-written reverse pass.
 */
export function referenceBackward(
  net: ReferenceNet,
  x: ArrayLike<number>,
  n: number,
  plan: ChannelPlan,
  dys: readonly (ArrayLike<number> | null)[],
): { gradW: Float64Array[]; gradB: Float64Array[]; xbar: Float64Array } {
  const { sizes } = net;
  const NL = sizes.length - 1;
  const d = sizes[0];
  const m = sizes[NL];
  const C = plan.channels;
  const nF = plan.first.length;
  const nP = plan.pairs.length;
  const gradW = net.weights.map((w) => new Float64Array(w.length));
  const gradB = net.biases.map((b) => new Float64Array(b.length));
  const xbar = new Float64Array(n * d);
  for (let p = 0; p < n; p++) {
    const t = tracePoint(
      net,
      Array.from({ length: d }, (_, j) => x[p * d + j]),
      plan,
    );
    // Adjoint of the layer's output stack.
    let dz: number[][] = Array.from({ length: C }, (_, c) =>
      Array.from({ length: m }, (_, o) => dys[c]?.[p * m + o] ?? 0),
    );
    for (let l = NL - 1; l >= 0; l--) {
      const [ni, no] = [sizes[l], sizes[l + 1]];
      const W = net.weights[l];
      const a = t.a[l];
      for (let c = 0; c < C; c++) {
        for (let j = 0; j < ni; j++) for (let k = 0; k < no; k++) gradW[l][j * no + k] += a[c][j] * dz[c][k];
      }
      for (let k = 0; k < no; k++) gradB[l][k] += dz[0][k];
      const da = dz.map((row) =>
        Array.from({ length: ni }, (_, j) => {
          let s = 0;
          for (let k = 0; k < no; k++) s += row[k] * W[j * no + k];
          return s;
        }),
      );
      if (l === 0) {
        for (let j = 0; j < d; j++) xbar[p * d + j] = da[0][j];
        break;
      }
      // Through the activation of hidden layer l - 1 (adjoint rules in assembly/index.ts).
      const z = t.z[l - 1];
      const nz: number[][] = Array.from({ length: C }, () => new Array<number>(ni).fill(0));
      for (let k = 0; k < ni; k++) {
        const [, s1, s2, s3, s4] = activation64(net.activations?.[l - 1] ?? net.activation, z[0][k]);
        let d0 = s1 * da[0][k];
        for (let i = 0; i < nF; i++) {
          d0 += s2 * da[1 + i][k] * z[1 + i][k];
          nz[1 + i][k] += s1 * da[1 + i][k];
        }
        plan.pairs.forEach(([pa, pb], q) => {
          const dh = da[1 + nF + q][k];
          nz[1 + nF + q][k] = s1 * dh;
          d0 += dh * (s3 * z[1 + pa][k] * z[1 + pb][k] + s2 * z[1 + nF + q][k]);
          nz[1 + pa][k] += s2 * dh * z[1 + pb][k];
          nz[1 + pb][k] += s2 * dh * z[1 + pa][k];
        });
        (plan.triples ?? []).forEach(([pa, q], t) => {
          const c = 1 + nF + nP + t;
          const dh = da[c][k];
          const [z1, z2, z3] = [z[1 + pa][k], z[1 + nF + q][k], z[c][k]];
          nz[c][k] = s1 * dh;
          nz[1 + nF + q][k] += 3 * s2 * z1 * dh;
          nz[1 + pa][k] += 3 * (s2 * z2 + s3 * z1 * z1) * dh;
          d0 += (s2 * z3 + 3 * s3 * z1 * z2 + s4 * z1 * z1 * z1) * dh;
        });
        nz[0][k] = d0;
      }
      dz = nz;
    }
  }
  return { gradW, gradB, xbar };
}

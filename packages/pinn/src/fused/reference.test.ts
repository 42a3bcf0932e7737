import { FUSED_ACTIVATIONS, planChannels, type FusedActivation } from './plan';
import { referenceBackward, referenceForward, type ReferenceNet } from './reference';
import { loadRuntime } from './runtime';
import { randomNet, randomPoints, relErr } from './testing';

const ACTS = Object.keys(FUSED_ACTIVATIONS) as FusedActivation[];

// 1, 2 and 3 inputs; widths 3, 5, 6, 7 (not multiples of 4); pure and mixed second derivatives.
const CASES = [
  { sizes: [1, 5, 3, 1], requests: [[], [0], [0, 0]] },
  { sizes: [2, 7, 6, 2], requests: [[], [0], [1], [0, 1], [1, 1]] },
  { sizes: [3, 6, 5, 1], requests: [[], [2], [0, 2], [1, 1]] },
  { sizes: [2, 6, 5, 1], requests: [[], [1], [0], [0, 0, 0], [1, 1, 1]] },
];

/** Perturb x_p,j of a float32 point set in float64. */
function shifted(x: Float32Array, i: number, h: number): Float64Array {
  const y = Float64Array.from(x);
  y[i] += h;
  return y;
}

function withWeight(net: ReferenceNet, l: number, i: number, h: number, bias: boolean): ReferenceNet {
  const weights = net.weights.map((w) => Float64Array.from(w));
  const biases = net.biases.map((b) => Float64Array.from(b));
  (bias ? biases : weights)[l][i] += h;
  return { ...net, weights, biases };
}

describe.each(ACTS)('float64 reference and kernel vs central finite differences: %s', (act) => {
  it.each(CASES.map((c) => [c.sizes.join('-'), c] as const))('%s', (_name, { sizes, requests }) => {
    const n = 6;
    const d = sizes[0];
    const m = sizes[sizes.length - 1];
    const { f32, f64 } = randomNet(sizes, act, 21);
    const x = randomPoints(n, d, 22);
    const plan = planChannels(requests);
    const out = referenceForward(f64, x, n, plan);
    const h = 1e-5;
    // First-derivative channels = central differences of the value channel in x_i.
    plan.first.forEach((i, f) => {
      for (let p = 0; p < n; p++) {
        const up = referenceForward(f64, shifted(x, p * d + i, h), n, plan)[0];
        const dn = referenceForward(f64, shifted(x, p * d + i, -h), n, plan)[0];
        for (let o = 0; o < m; o++) {
          const fd = (up[p * m + o] - dn[p * m + o]) / (2 * h);
          expect(Math.abs(fd - out[1 + f][p * m + o])).toBeLessThan(1e-7 * (1 + Math.abs(fd)));
        }
      }
    });
    // Second-derivative channels (i, j) = central differences of the d/dx_i channel in x_j.
    plan.pairs.forEach(([a, b], q) => {
      const j = plan.first[b];
      for (let p = 0; p < n; p++) {
        const up = referenceForward(f64, shifted(x, p * d + j, h), n, plan)[1 + a];
        const dn = referenceForward(f64, shifted(x, p * d + j, -h), n, plan)[1 + a];
        for (let o = 0; o < m; o++) {
          const fd = (up[p * m + o] - dn[p * m + o]) / (2 * h);
          expect(Math.abs(fd - out[1 + plan.first.length + q][p * m + o])).toBeLessThan(1e-7 * (1 + Math.abs(fd)));
        }
      }
    });
    // Third-derivative channels (i, i, i) = central differences of the (i, i) channel in x_i.
    (plan.triples ?? []).forEach(([a, q], t) => {
      const i = plan.first[a];
      const pair = 1 + plan.first.length + q;
      for (let p = 0; p < n; p++) {
        const up = referenceForward(f64, shifted(x, p * d + i, h), n, plan)[pair];
        const dn = referenceForward(f64, shifted(x, p * d + i, -h), n, plan)[pair];
        for (let o = 0; o < m; o++) {
          const fd = (up[p * m + o] - dn[p * m + o]) / (2 * h);
          const c = 1 + plan.first.length + plan.pairs.length + t;
          expect(Math.abs(fd - out[c][p * m + o])).toBeLessThan(1e-7 * (1 + Math.abs(fd)));
        }
      }
    });
    // Weight, bias and input gradients of L = sum_c <dy_c, channel c> = central differences of L.
    const dys = Array.from({ length: plan.channels }, (_, c) => Float64Array.from(randomPoints(n, m, 30 + c)));
    const loss = (net: ReferenceNet, xx: ArrayLike<number>) =>
      referenceForward(net, xx, n, plan).reduce((s, ch, c) => s + ch.reduce((t, v, i) => t + v * dys[c][i], 0), 0);
    const ref = referenceBackward(f64, x, n, plan, dys);
    const kernel = loadRuntime('auto');
    const { tape } = kernel.forward(f32, x, n, plan, [], { threads: 1, blockSize: 16, keepTape: true });
    const got = kernel.backward(
      f32,
      x,
      n,
      plan,
      tape,
      dys.map((dy) => Float32Array.from(dy)),
      { threads: 1, blockSize: 16, wantX: true },
    );
    const fdW = f64.weights.map((w, l) =>
      Float64Array.from(
        w,
        (_, i) => (loss(withWeight(f64, l, i, h, false), x) - loss(withWeight(f64, l, i, -h, false), x)) / (2 * h),
      ),
    );
    const fdB = f64.biases.map((b, l) =>
      Float64Array.from(
        b,
        (_, i) => (loss(withWeight(f64, l, i, h, true), x) - loss(withWeight(f64, l, i, -h, true), x)) / (2 * h),
      ),
    );
    const fdX = Float64Array.from(x, (_, i) => (loss(f64, shifted(x, i, h)) - loss(f64, shifted(x, i, -h))) / (2 * h));
    fdW.forEach((fd, l) => {
      expect(relErr(ref.gradW[l], fd)).toBeLessThan(1e-7);
      expect(relErr(got.gradW[l], fd)).toBeLessThan(1e-5);
    });
    fdB.forEach((fd, l) => {
      expect(relErr(ref.gradB[l], fd)).toBeLessThan(1e-7);
      expect(relErr(got.gradB[l], fd)).toBeLessThan(1e-5);
    });
    expect(relErr(ref.xbar, fdX)).toBeLessThan(1e-7);
    expect(relErr(got.xbar!, fdX)).toBeLessThan(1e-5);
  });
});

import { planChannels, FUSED_ACTIVATIONS, type FusedActivation } from './plan';
import { referenceBackward, referenceForward } from './reference';
import { loadRuntime, type FusedBuild } from './runtime';
import { randomNet, randomPoints, relErr } from './testing';
import { Rng } from '@aml/core';

const ACTS = Object.keys(FUSED_ACTIVATIONS) as FusedActivation[];
const BUILDS: FusedBuild[] = ['simd', 'relaxed'];

// (sizes, requests): 1, 2 and 3 inputs; widths not divisible by 4; pure and mixed second derivatives.
const CASES: { sizes: number[]; requests: number[][] }[] = [
  { sizes: [1, 7, 1], requests: [[], [0], [0, 0]] },
  { sizes: [2, 5, 6, 1], requests: [[], [1], [0], [0, 0]] },
  { sizes: [3, 9, 4, 11, 2], requests: [[], [0, 1], [2, 2], [1]] },
  { sizes: [2, 13, 3], requests: [[0, 1], [1, 1]] },
];

function dysFor(C: number, n: number, m: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: C }, () => Float32Array.from({ length: n * m }, () => rng.normal()));
}

describe.each(BUILDS)('fused runtime (%s build)', (build) => {
  const rt = loadRuntime(build);

  describe.each(ACTS)('%s', (act) => {
    it.each(CASES.map((c, i) => [i, c] as const))('case %i: fields and gradients equal the float64 reference (rel 1e-5)', (_i, { sizes, requests }) => {
      const n = 37; // not a multiple of the block size: exercises the padded last block
      const d = sizes[0];
      const m = sizes[sizes.length - 1];
      const { f32, f64 } = randomNet(sizes, act, 11 + sizes.length);
      const x = randomPoints(n, d, 5);
      const plan = planChannels(requests);
      const all = Array.from({ length: plan.channels }, (_, c) => c);
      const opt = { threads: 1, blockSize: 16, keepTape: true };
      const { outputs, tape } = rt.forward(f32, x, n, plan, all, opt);
      const got = outputs.map((o) => Float32Array.from(o));
      const want = referenceForward(f64, x, n, plan);
      for (let c = 0; c < plan.channels; c++) expect(relErr(got[c], want[c])).toBeLessThan(1e-5);
      const dys = dysFor(plan.channels, n, m, 3);
      const g = rt.backward(f32, x, n, plan, tape, dys, { threads: 1, blockSize: 16, wantX: true });
      const r = referenceBackward(f64, x, n, plan, dys);
      g.gradW.forEach((w, l) => expect(relErr(w, r.gradW[l])).toBeLessThan(1e-5));
      g.gradB.forEach((b, l) => expect(relErr(b, r.gradB[l])).toBeLessThan(1e-5));
      expect(relErr(g.xbar!, r.xbar)).toBeLessThan(1e-5);
      expect(rt.liveTapes).toBe(0);
    });
  });
});

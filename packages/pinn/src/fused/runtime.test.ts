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
  {
    sizes: [2, 13, 3],
    requests: [
      [0, 1],
      [1, 1],
    ],
  },
  // Third derivatives (i, i, i): KdV's u_xxx (its pair (x, x) not requested), and two of them beside a mixed pair.
  { sizes: [2, 6, 5, 1], requests: [[], [1], [0], [0, 0, 0]] },
  { sizes: [3, 7, 5, 2], requests: [[0, 0, 0], [2, 2, 2], [0, 2], [1]] },
  // The largest stack: 4 inputs, 4 outputs, every first and second derivative (C = 15).
  {
    sizes: [4, 6, 5, 4],
    requests: [[], [0], [1], [2], [3], [0, 0], [0, 1], [0, 2], [0, 3], [1, 1], [1, 2], [1, 3], [2, 2], [2, 3], [3, 3]],
  },
];

function dysFor(C: number, n: number, m: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: C }, () => Float32Array.from({ length: n * m }, () => rng.normal()));
}

describe.each(BUILDS)('fused runtime (%s build)', (build) => {
  const rt = loadRuntime(build);

  describe.each(ACTS)('%s', (act) => {
    it.each(CASES.map((c, i) => [i, c] as const))(
      'case %i: fields and gradients equal the float64 reference (rel 1e-5)',
      (_i, { sizes, requests }) => {
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
      },
    );
  });
});

describe('fused runtime: tapes and threads', () => {
  const rt = loadRuntime('auto');
  const sizes = [2, 10, 9, 1];
  const { f32 } = randomNet(sizes, 'tanh', 4);
  const n = 200;
  const x = randomPoints(n, 2, 4);
  const plan = planChannels([[], [0], [1], [0, 0]]);
  const dys = dysFor(plan.channels, n, 1, 8);
  const opt = { threads: 1, blockSize: 16 };

  it('a reverse pass without its tape (evicted, or never kept) recomputes it: same gradients', () => {
    const { tape } = rt.forward(f32, x, n, plan, [], { ...opt, keepTape: true });
    const kept = rt.backward(f32, x, n, plan, tape, dys, { ...opt, wantX: true });
    const keptW = kept.gradW.map((w) => Float32Array.from(w));
    const keptX = Float32Array.from(kept.xbar!);
    const redo = rt.backward(f32, x, n, plan, 0, dys, { ...opt, wantX: true });
    redo.gradW.forEach((w, l) => expect(Array.from(w)).toEqual(Array.from(keptW[l])));
    expect(Array.from(redo.xbar!)).toEqual(Array.from(keptX));
    expect(rt.liveTapes).toBe(0);
  });

  it('a tape from a different call is not used (its key differs), never a wrong number', () => {
    const other = randomPoints(n + 16, 2, 5);
    const { tape } = rt.forward(f32, other, n + 16, plan, [], { ...opt, keepTape: true });
    const g = rt.backward(f32, x, n, plan, tape, dys, { ...opt, wantX: false });
    const want = rt.backward(f32, x, n, plan, 0, dys, { ...opt, wantX: false });
    g.gradW.forEach((w, l) => expect(relErr(w, want.gradW[l])).toBe(0));
    expect(rt.liveTapes).toBe(0);
  });

  it('2 threads: repeatable bit for bit, equal to 1 thread within float tolerance; outputs identical', () => {
    const run = (threads: number) => {
      const f = rt.forward(f32, x, n, plan, [0, 1, 2, 3], { threads, blockSize: 16, keepTape: true });
      const outs = f.outputs.map((o) => Array.from(o));
      const g = rt.backward(f32, x, n, plan, f.tape, dys, { threads, blockSize: 16, wantX: true });
      return {
        outs,
        w: g.gradW.map((w) => Array.from(w)),
        b: g.gradB.map((b) => Array.from(b)),
        x: Array.from(g.xbar!),
      };
    };
    const one = run(1);
    const two = run(2);
    expect(run(2)).toEqual(two);
    expect(two.outs).toEqual(one.outs); // each point is computed by one thread, the same way
    expect(two.x).toEqual(one.x);
    two.w.forEach((w, l) => expect(relErr(w, one.w[l])).toBeLessThan(5e-6)); // sums split differently: float rounding only
    two.b.forEach((b, l) => expect(relErr(b, one.b[l])).toBeLessThan(5e-6));
  });
});

describe('fused runtime: per-layer activations and a given input stack', () => {
  const rt = loadRuntime('auto');
  const n = 45;
  const requests = [[], [1], [0], [0, 0], [0, 1]];
  const plan = planChannels(requests);
  const all = Array.from({ length: plan.channels }, (_, c) => c);
  const opt = { threads: 1, blockSize: 16 };

  it('a sin layer under tanh layers equals the float64 reference (rel 1e-5)', () => {
    const sizes = [2, 9, 7, 6, 1];
    const acts: FusedActivation[] = ['sin', 'tanh', 'softplus'];
    const { f32, f64 } = randomNet(sizes, 'tanh', 21);
    const x = randomPoints(n, 2, 22);
    const f = rt.forward({ ...f32, activations: acts }, x, n, plan, all, { ...opt, keepTape: true });
    const want = referenceForward({ ...f64, activations: acts }, x, n, plan);
    f.outputs.forEach((o, c) => expect(relErr(o, want[c])).toBeLessThan(1e-5));
    const dys = dysFor(plan.channels, n, 1, 23);
    const g = rt.backward({ ...f32, activations: acts }, x, n, plan, f.tape, dys, { ...opt, wantX: true });
    const r = referenceBackward({ ...f64, activations: acts }, x, n, plan, dys);
    g.gradW.forEach((w, l) => expect(relErr(w, r.gradW[l])).toBeLessThan(1e-5));
    g.gradB.forEach((b, l) => expect(relErr(b, r.gradB[l])).toBeLessThan(1e-5));
    expect(relErr(g.xbar!, r.xbar)).toBeLessThan(1e-5);
    expect(() => rt.forward({ ...f32, activations: ['sin'] }, x, n, plan, all, { ...opt, keepTape: false })).toThrow(
      /1 activations for 3 hidden layers/,
    );
  });

  it("x's own stack (x, unit vectors, zeros) given as the input stack: the same numbers, and its adjoint's value channel is dL/dx", () => {
    const sizes = [2, 8, 5, 1];
    const { f32 } = randomNet(sizes, 'tanh', 31);
    const x = randomPoints(n, 2, 32);
    const stack = all.map((c) =>
      Float32Array.from({ length: n * 2 }, (_, k) =>
        c === 0 ? x[k] : c <= plan.first.length && plan.first[c - 1] === k % 2 ? 1 : 0,
      ),
    );
    const dys = dysFor(plan.channels, n, 1, 33);
    const a = rt.forward(f32, x, n, plan, all, { ...opt, keepTape: true });
    const outA = a.outputs.map((o) => Array.from(o));
    const ga = rt.backward(f32, x, n, plan, a.tape, dys, { ...opt, wantX: true });
    const gaW = ga.gradW.map((w) => Array.from(w));
    const xbar = Array.from(ga.xbar!);
    const b = rt.forward(f32, new Float32Array(0), n, plan, all, { ...opt, keepTape: true, stack });
    expect(b.outputs.map((o) => Array.from(o))).toEqual(outA);
    const gb = rt.backward(f32, new Float32Array(0), n, plan, b.tape, dys, { ...opt, wantX: true, stack });
    expect(gb.gradW.map((w) => Array.from(w))).toEqual(gaW);
    expect(gb.xbar).toBeNull();
    expect(gb.stackBar!.length).toBe(plan.channels);
    expect(Array.from(gb.stackBar![0])).toEqual(xbar);
    // The derivative channels' adjoints are not zero: they carry the gradient into an embedding's derivatives.
    expect(Math.max(...Array.from(gb.stackBar![1], Math.abs))).toBeGreaterThan(0);
    expect(rt.liveTapes).toBe(0);
  });
});

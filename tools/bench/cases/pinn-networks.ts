/**
 * Network architectures in the PINN solver, packages/pinn/src/networks: one Adam step of the
 * Burgers residual u_t + u u_x - nu u_xx (needs u, u_x, u_t, u_xx) at 10,000 points, per
 * architecture of hidden width 64, timed in ONE process next to the plain 2-64x4-1 tanh MLP
 * on the same engine (ratios are what to read; the machine is shared).
 *
 * - plain MLP on the fused kernel, on the taylor block path, and on generic jets (is the
 *   block path still worth keeping for plain MLPs up to second order?);
 * - Fourier features (m = 64, sigma 1), periodic x, RWF, modified MLP (4 layers), PirateNet
 *   (2 blocks, Fourier m = 64), and all of them together, on taylor jets;
 * - the MLP with periodic x, Fourier features and RWF together on taylor jets and on the fused
 *   kernel (1 and 2 threads), as ratios taken in this process.
 */
import { adam, Rng } from '@aml/core';
import {
  createNetwork,
  fusedEngine,
  jetDerivatives,
  taylorEngine,
  type DerivativeEngine,
  type NetworkLike,
  type NetworkSpec,
} from '@aml/pinn';
import type { BenchCase } from '../case';
import { BURGERS_DERIVATIVES, burgersPoints, burgersResidualMse } from '../shared';

const W = 64;
const SHAPE = { inputs: 2, outputs: 1, inputNames: ['x', 't'] };
const jets: DerivativeEngine = { name: 'jets', derivatives: (net: NetworkLike, x, r) => jetDerivatives(net, x, r) };

const ARCHS: [string, NetworkSpec][] = [
  ['fourier', { hidden: [W, W, W, W], fourier: { sigma: 1, features: W } }],
  ['periodic', { hidden: [W, W, W, W], periodic: { x: 2 } }],
  ['factorized', { hidden: [W, W, W, W], factorized: { mu: 1, sigma: 0.1 } }],
  ['modified-mlp', { kind: 'modified-mlp', hidden: [W, W, W, W] }],
  ['pirate-2', { kind: 'pirate', hidden: [W, W], fourier: { sigma: 1, features: W } }],
  [
    'modified+all',
    {
      kind: 'modified-mlp',
      hidden: [W, W, W, W],
      periodic: { x: 2 },
      fourier: { sigma: 1, features: W },
      factorized: { mu: 1, sigma: 0.1 },
    },
  ],
];

/** Median wall ms and least process CPU ms of `repeats` steps after one warm-up. */
function timeSpec(spec: NetworkSpec, engine: DerivativeEngine, repeats: number): { wall: number; cpu: number } {
  const net = createNetwork(spec, SHAPE, new Rng(1));
  const vars = Object.values(net.params).filter((v) => v.trainable);
  const x = burgersPoints();
  const opt = adam({ learningRate: 1e-3 });
  const step = () => opt.minimize(() => burgersResidualMse(engine.derivatives(net, x, BURGERS_DERIVATIVES)), vars);
  step();
  const t: number[] = [];
  let cpu = Infinity;
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    step();
    t.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  opt.dispose();
  x.dispose();
  net.dispose();
  t.sort((a, b) => a - b);
  return { wall: t[t.length >> 1], cpu };
}

const ratioCase: BenchCase = {
  kind: 'accuracy',
  name: 'pinn-networks-step-burgers-w64-10k',
  async run({ quick }) {
    const repeats = quick ? 2 : 5;
    const plain: NetworkSpec = { hidden: [W, W, W, W] };
    const out: Record<string, number> = {};
    const base = timeSpec(plain, taylorEngine, repeats);
    out.mlp_taylor_blocks_ms = base.wall;
    out.mlp_taylor_blocks_cpu_ms = base.cpu;
    const fused = timeSpec(plain, fusedEngine({ threads: 1, log: () => {} }), repeats);
    out.mlp_fused_ms = fused.wall;
    out.mlp_fused_cpu_ms = fused.cpu;
    const j = timeSpec(plain, jets, repeats);
    out.mlp_jets_ms = j.wall;
    out.mlp_jets_over_blocks_cpu = j.cpu / base.cpu;
    for (const [name, spec] of ARCHS) {
      const r = timeSpec(spec, taylorEngine, repeats);
      out[`${name}_ms`] = r.wall;
      out[`${name}_over_mlp_cpu`] = r.cpu / base.cpu;
    }
    const all: NetworkSpec = {
      hidden: [W, W, W, W],
      periodic: { x: 2 },
      fourier: { sigma: 1, features: W },
      factorized: { mu: 1, sigma: 0.1 },
    };
    const t = timeSpec(all, taylorEngine, repeats);
    const f1 = timeSpec(all, fusedEngine({ threads: 1, log: () => {} }), repeats);
    const f2 = timeSpec(all, fusedEngine({ threads: 2, log: () => {} }), repeats);
    out.mlp_all_taylor_ms = t.wall;
    out.mlp_all_fused_ms = f1.wall;
    out.mlp_all_fused_2t_ms = f2.wall;
    out.mlp_all_taylor_over_mlp_cpu = t.cpu / base.cpu;
    out.mlp_all_fused_over_mlp_cpu = f1.cpu / base.cpu;
    out.mlp_all_taylor_over_fused_cpu = t.cpu / f1.cpu;
    out.mlp_all_taylor_over_fused_2t_wall = t.wall / f2.wall;
    return out;
  },
};

export const cases: BenchCase[] = [ratioCase];

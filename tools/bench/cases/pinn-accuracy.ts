/**
 * packages/pinn accuracy cases: each trains a PINN and reports its error against an exact
 * or classical reference, with the wall time. `quick` runs a smoke-size version. They use
 * the fused engine, which falls back to the 'taylor' engine where it cannot run;
 * config-built problems get it from training.engine's default.
 */
import {
  compareValues,
  definePde,
  fusedEngine,
  evaluationGrid,
  interval,
  observations,
  problemFromConfig,
  solve,
  timeDomain,
  trialSolution,
  burgersExact,
  type SolverConfig,
} from '@aml/pinn';
import { Rng } from '@aml/core';
import type { BenchCase } from '../case';
import { raissiBurgersConfig, referenceValues } from '../shared';

const heatExact = (x: number, t: number, k = 1) => Math.exp(-k * Math.PI * Math.PI * t) * Math.sin(Math.PI * x);

/** Relative L2 of model vs reference on the problem's evaluation grid. */
async function scored(
  problem: ReturnType<typeof definePde>,
  solver: SolverConfig,
  ref: (p: number[]) => number,
  grid?: number[],
) {
  const t0 = performance.now();
  const { model, history } = await solve(problem, solver);
  const seconds = (performance.now() - t0) / 1000;
  const pts = evaluationGrid(problem.geometry, grid);
  const err = compareValues(model.predict(pts), referenceValues(pts, problem.geometry.dim, ref));
  const out = { model, history, seconds, err };
  return out;
}

export const accuracyCases: BenchCase[] = [
  {
    kind: 'accuracy',
    name: 'pinn-heat-hard-constraint',
    async run({ quick }) {
      // u_t = u_xx, u(x,0) = sin(pi x), u(0,t) = u(1,t) = 0 by the trial solution (1-t) sin(pi x) + x(1-x) t N.
      const problem = definePde({
        geometry: timeDomain(interval(0, 1), 0, 1),
        equation: 'u_t - u_xx',
        constraint: trialSolution('(1-t)*sin(pi*x)', 'x*(1-x)*t'),
      });
      const r = await scored(
        problem,
        {
          network: { hidden: [20, 20, 20], activation: 'tanh' },
          points: { domain: quick ? 500 : 2000 },
          adam: { steps: quick ? 200 : 2000, learningRate: 2e-3 },
          lbfgs: { steps: quick ? 50 : 1500 },
          engine: fusedEngine(),
          seed: 1,
        },
        ([x, t]) => heatExact(x, t),
      );
      r.model.dispose();
      return {
        relative_l2: r.err.relativeL2,
        max_abs: r.err.maxAbs,
        wall_s: r.seconds,
        target: '< 1e-3',
        met: r.err.relativeL2 < 1e-3,
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'pinn-heat-soft-constraints',
    async run({ quick }) {
      const b = problemFromConfig({
        name: 'heat',
        domain: { x: [0, 1], t: [0, 1] },
        equation: 'u_t = u_xx',
        conditions: [
          { type: 'initial', value: 'sin(pi*x)' },
          { type: 'dirichlet', on: 'x=0 | x=1', value: 0 },
        ],
        network: { layers: [20, 20, 20], activation: 'tanh' },
        training: {
          points: { domain: quick ? 500 : 2000, boundary: 200, initial: 200 },
          adam: { steps: quick ? 200 : 3000, lr: 2e-3 },
          lbfgs: { steps: quick ? 50 : 8000 },
          engine: 'fused',
          seed: 1,
        },
        reference: { exact: 'exp(-pi^2*t)*sin(pi*x)' },
      });
      const r = await scored(b.problem, b.solver, ([x, t]) => heatExact(x, t));
      r.model.dispose();
      const lb = r.history.phases[1];
      return {
        relative_l2: r.err.relativeL2,
        max_abs: r.err.maxAbs,
        wall_s: r.seconds,
        lbfgs_steps: lb?.steps ?? 0,
        lbfgs_stop: lb?.stopReason ?? '',
        target: '< 1e-3',
        met: r.err.relativeL2 < 1e-3,
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'pinn-burgers-raissi',
    async run({ quick }) {
      // Raissi et al. 2019: nu = 0.01/pi, 100 initial+boundary points, 10,000 collocation points (LHS), 8x20 tanh; soft constraints.
      const b = problemFromConfig(raissiBurgersConfig(quick, 4000, 'fused'));
      const r = await scored(b.problem, b.solver, ([x, t]) => burgersExact(x, t), [256, 100]);
      r.model.dispose();
      return {
        relative_l2: r.err.relativeL2,
        max_abs: r.err.maxAbs,
        wall_s: r.seconds,
        adam_s: r.history.phases[0]?.seconds ?? 0,
        lbfgs_s: r.history.phases[1]?.seconds ?? 0,
        target: '< 5e-3',
        met: r.err.relativeL2 < 5e-3,
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'pinn-burgers-hard-constraint',
    async run({ quick }) {
      // Same PDE and network as Raissi's, with the initial and boundary conditions built in:
      // u = -sin(pi x) + t (1 - x^2) N(x, t), so only the residual is trained.
      const problem = definePde({
        geometry: timeDomain(interval(-1, 1), 0, 1),
        equation: 'u_t + u*u_x - (0.01/pi)*u_xx',
        constraint: trialSolution('-sin(pi*x)', 't*(1-x^2)'),
      });
      const r = await scored(
        problem,
        {
          network: { hidden: quick ? [20, 20] : [20, 20, 20, 20, 20, 20, 20, 20], activation: 'tanh' },
          points: { domain: quick ? 1000 : 10000 },
          adam: { steps: quick ? 100 : 2000, learningRate: 1e-3 },
          lbfgs: { steps: quick ? 20 : 3000 },
          engine: fusedEngine(),
          seed: 1,
        },
        ([x, t]) => burgersExact(x, t),
        [256, 100],
      );
      r.model.dispose();
      return {
        relative_l2: r.err.relativeL2,
        max_abs: r.err.maxAbs,
        wall_s: r.seconds,
        adam_s: r.history.phases[0]?.seconds ?? 0,
        lbfgs_s: r.history.phases[1]?.seconds ?? 0,
        target: '< 5e-3',
        met: r.err.relativeL2 < 5e-3,
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'pinn-inverse-heat-coefficient',
    async run({ quick }) {
      // u_t = kappa u_xx with kappa = 0.5 unknown (starts at 0.1): 1,000 observations of the exact solution with 1% noise.
      const kappa = 0.5;
      const rng = new Rng(7);
      const geometry = timeDomain(interval(0, 1), 0, 1);
      const n = quick ? 200 : 1000;
      const pts = geometry.sampleInterior(n, rng, 'lhs');
      const vals = Array.from({ length: n }, (_, k) => heatExact(pts[2 * k], pts[2 * k + 1], kappa));
      const mean = vals.reduce((a, b) => a + b, 0) / n;
      const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      const noisy = vals.map((v) => v + 0.01 * std * rng.normal());
      const rows = Array.from({ length: n }, (_, k) => [pts[2 * k], pts[2 * k + 1]]);
      const problem = definePde({
        geometry,
        equation: 'u_t - kappa*u_xx',
        parameters: { kappa: { initial: 0.1, trainable: true } },
        conditions: [observations(rows, noisy)],
      });
      const t0 = performance.now();
      const { model } = await solve(problem, {
        network: { hidden: [20, 20, 20], activation: 'tanh' },
        engine: fusedEngine(),
        points: { domain: quick ? 500 : 2000 },
        adam: { steps: quick ? 200 : 3000, learningRate: 2e-3 },
        lbfgs: { steps: quick ? 20 : 1500 },
        seed: 2,
      });
      const found = model.coefficients().kappa;
      model.dispose();
      const relErr = Math.abs(found - kappa) / kappa;
      return {
        kappa_true: kappa,
        kappa_found: found,
        relative_error: relErr,
        noise: 0.01,
        observations: n,
        wall_s: (performance.now() - t0) / 1000,
        target: '< 1%',
        met: relErr < 0.01,
      };
    },
  },
];

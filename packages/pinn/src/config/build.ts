/**
 * From a validated config to the typed problem, solver settings and reference: what
 * pde-lab calls. Everything that can be wrong (unknown symbols, empty domains, wrong
 * dimensions, places that do not exist) fails here, before any training.
 *
 * @example
 *   const { problem, solver, reference } = problemFromConfig(JSON.parse(fs.readFileSync('experiments/burgers.json', 'utf8')));
 *   const { model } = await solve(problem, solver);
 *   const grid = evaluationGrid(problem.geometry, reference?.grid);
 *   const err = compareValues(model.predict(grid), reference!.evaluate(grid));
 */
import { Rng } from '@aml/core';
import {
  dirichlet,
  initial,
  neumann,
  observations,
  operator,
  periodic,
  robin,
  type Condition,
} from '../conditions/index';
import { trialSolution } from '../constraints/constraint';
import { nestedEngine } from '../derivatives/nested';
import { taylorEngine } from '../derivatives/taylor';
import { fusedEngine } from '../fused/index';
import {
  box,
  difference,
  disk,
  intersection,
  interval,
  polygon,
  timeDomain,
  union,
  type Geometry,
} from '../geometry/index';
import { definePde, type ParameterSpec, type Problem } from '../problems/problem';
import type { SolverConfig } from '../solver/config';
import { checkNetworkSpec } from '../networks/create';
import { networkSpecFromConfig } from './network-schema';
import { observeReference } from '../observations/noisy';
import { referenceFromConfig, type ReferenceSolution } from './reference';
import { parseProblemConfig, type GeometryConfig, type ProblemConfig } from './schema';

export { referenceFromConfig, type ReferenceSolution } from './reference';

/** What a config turns into. */
export interface BuiltProblem {
  readonly name: string;
  readonly config: ProblemConfig;
  readonly problem: Problem;
  readonly solver: SolverConfig;
  /** Exact or classical reference, when the config has one (a file reference is read by the app). */
  readonly reference?: ReferenceSolution;
}

function withTime(g: Geometry, time: readonly [number, number] | undefined): Geometry {
  return time ? timeDomain(g, time[0], time[1]) : g;
}

/** Build the geometry of a `domain` entry. */
export function geometryFromConfig(domain: ProblemConfig['domain']): Geometry {
  if (!('shape' in domain) || typeof domain.shape !== 'string') {
    const axes = domain as Record<string, readonly [number, number]>;
    const names = Object.keys(axes);
    if (names.length === 0) throw new Error('domain: give at least one axis, e.g. {"x": [0, 1]}');
    const space = names.filter((n) => n !== 't');
    const t = axes.t;
    if (space.length === 0) return interval(t[0], t[1], 't');
    const g = box(
      space.map((n) => axes[n][0]),
      space.map((n) => axes[n][1]),
      space,
    );
    return t ? timeDomain(g, t[0], t[1]) : g;
  }
  const gc = domain as GeometryConfig;
  switch (gc.shape) {
    case 'box': {
      const names = Object.keys(gc.axes);
      return withTime(
        box(
          names.map((n) => gc.axes[n][0]),
          names.map((n) => gc.axes[n][1]),
          names,
        ),
        gc.time,
      );
    }
    case 'disk':
      return withTime(disk(gc.center, gc.radius, gc.names), gc.time);
    case 'polygon':
      return withTime(polygon(gc.vertices, gc.names), gc.time);
    default: {
      const [a, b] = gc.of.map((g) => geometryFromConfig(g as ProblemConfig['domain']));
      const op = gc.shape === 'union' ? union : gc.shape === 'difference' ? difference : intersection;
      return withTime(op(a, b), gc.time);
    }
  }
}

function conditionFromConfig(
  c: ProblemConfig['conditions'][number],
  reference: ReferenceSolution | undefined,
  geometry: Geometry,
  outputs: readonly string[],
): Condition {
  switch (c.type) {
    case 'initial':
      return initial(c.value, { component: c.component, derivative: c.derivative, points: c.points, weight: c.weight });
    case 'dirichlet':
      return dirichlet(c.value, { on: c.on, component: c.component, points: c.points, weight: c.weight });
    case 'neumann':
      return neumann(c.value, { on: c.on, component: c.component, points: c.points, weight: c.weight });
    case 'robin':
      return robin(c.a, c.b, c.value, { on: c.on, component: c.component, points: c.points, weight: c.weight });
    case 'periodic':
      return periodic(c.input, {
        component: c.component,
        derivative: c.derivative,
        points: c.points,
        weight: c.weight,
      });
    case 'operator':
      return operator(c.expression, { on: c.on, region: c.region, points: c.points, weight: c.weight });
    case 'observations': {
      if (c.fromExact) {
        if (!reference)
          throw new Error('observations.fromExact: the config has no reference.exact or reference.solver to observe');
        const obs = observeReference((p) => reference.evaluate(p), geometry, outputs.length, {
          count: c.fromExact.count,
          noise: c.fromExact.noise,
          seed: c.fromExact.seed ?? 12345,
        });
        return observations(obs.points, obs.values, { weight: c.weight });
      }
      if (!c.points || !c.values) throw new Error('observations: give points and values, or fromExact');
      return observations(c.points, c.values as number[][] | number[], { components: c.components, weight: c.weight });
    }
  }
}

/** What the schema cannot see: causal weighting and marching need time, causal enough points, RAD enough candidates. */
function checkTraining(t: ProblemConfig['training'], geometry: Geometry, domainPoints: number, source: string): void {
  if (t.causal && !geometry.names.includes('t')) {
    throw new Error(
      `${source}: training.causal needs a time axis named t in the domain; this one has ${geometry.names.join(', ')}`,
    );
  }
  if (t.threads !== undefined && t.engine !== 'fused') {
    throw new Error(
      `${source}: training.threads sets the fused kernel's threads, but training.engine is '${t.engine}'; remove threads or use engine 'fused'`,
    );
  }
  const chunks = t.causal?.chunks ?? 32;
  if (t.causal && chunks > domainPoints) {
    throw new Error(
      `${source}: training.causal.chunks (${chunks}) exceeds the residual points (${domainPoints}); lower chunks or raise training.points`,
    );
  }
  if (t.marching && !geometry.names.includes('t')) {
    throw new Error(
      `${source}: training.marching needs a time axis named t in the domain; this one has ${geometry.names.join(', ')}`,
    );
  }
  const cand = t.resample?.candidates;
  if (t.resample?.method === 'rad' && cand !== undefined && cand < domainPoints) {
    throw new Error(
      `${source}: training.resample.candidates (${cand}) must be at least the residual points (${domainPoints})`,
    );
  }
}

/**
 * Validate (if needed) and build a problem config.
 * @param json parsed JSON (validated here) or an already parsed `ProblemConfig`
 * @param source file name for error messages
 */
export function problemFromConfig(json: unknown, source = 'config'): BuiltProblem {
  const config = parseProblemConfig(json, source);
  const at = (what: string, f: () => unknown) => {
    try {
      return f();
    } catch (e) {
      throw new Error(`${source}: ${what ? `${what}: ` : ''}${(e as Error).message}`);
    }
  };
  const geometry = at('domain', () => geometryFromConfig(config.domain)) as Geometry;
  const outputs = config.outputs ?? ['u'];
  const parameters: Record<string, ParameterSpec> = {};
  for (const [k, v] of Object.entries(config.parameters ?? {}))
    parameters[k] = typeof v === 'number' ? { initial: v } : v;
  // One reference for the scores and the observations drawn from it (a solver runs once).
  const reference = at('reference', () => referenceFromConfig(config, geometry, outputs)) as
    | ReferenceSolution
    | undefined;
  const conditions = config.conditions.map(
    (c, i) =>
      at(`conditions[${i}] (${c.type})`, () => conditionFromConfig(c, reference, geometry, outputs)) as Condition,
  );
  // definePde's messages name their field (equation, constraint.h1, ...): no extra label, so nothing is said twice.
  const problem = at('', () =>
    definePde({
      geometry,
      outputs,
      equation: config.equation,
      parameters,
      conditions,
      constraint: config.constraint ? trialSolution(config.constraint.h1, config.constraint.h2) : undefined,
    }),
  ) as Problem;
  // Sample every condition once now so a place that does not exist fails before training.
  problem.conditions.forEach((c, i) => at(`conditions[${i}]`, () => c.sample(4, new Rng(0), 'uniform')));
  const grid = config.reference?.grid;
  if (grid && grid.length !== geometry.dim) {
    throw new Error(
      `${source}: reference.grid has ${grid.length} resolution(s) but the domain has ${geometry.dim} axes (${geometry.names.join(', ')}); give one per axis`,
    );
  }
  try {
    checkNetworkSpec(networkSpecFromConfig(config.network), geometry.names); // messages name network.<field>
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
  const t = config.training;
  const pts = typeof t.points === 'number' ? { domain: t.points } : t.points;
  checkTraining(t, geometry, pts.domain ?? 2000, source);
  const solver: SolverConfig = {
    network: networkSpecFromConfig(config.network),
    points: { ...pts, sampler: t.sampler },
    adam: { steps: t.adam.steps, learningRate: t.adam.lr, warmup: t.adam.warmup, decay: t.adam.decay },
    lbfgs: t.lbfgs,
    weighting: t.weighting,
    refinement: t.refinement,
    causal: t.causal,
    resample: t.resample,
    marching: t.marching,
    scaleInputs: t.scaleInputs,
    engine:
      t.engine === 'fused' ? fusedEngine({ threads: t.threads }) : t.engine === 'nested' ? nestedEngine : taylorEngine,
    seed: t.seed,
  };
  return { name: config.name, config, problem, solver, reference };
}

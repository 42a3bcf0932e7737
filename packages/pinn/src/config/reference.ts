/**
 * From a config's `reference` block to a function points (N, d) -> values (N, m): a closed form
 * compiled from text, or a classical solver (../classical/) whose right-hand sides are text
 * compiled by the expression compiler (a mathjs tree, never JavaScript eval), so an unknown
 * symbol fails before training with the list of known ones. Solvers run lazily, at the times asked for.
 */
import { burgersExact } from '../classical/burgers';
import { methodOfLines, type SpaceTimeField } from '../classical/method-of-lines';
import { odeTrajectory } from '../classical/ode';
import { periodicSpectral } from '../classical/spectral';
import type { Geometry } from '../geometry/index';
import { numberAlgebra } from '../problems/algebras';
import { compileExpression } from '../problems/expression';
import { arrayAlgebra, type ArrayOrNumber } from './array-algebra';
import type { ReferenceConfig } from './reference-schema';
import type { ProblemConfig } from './schema';

/** A reference solution on points. */
export interface ReferenceSolution {
  /** What it is, e.g. 'exact: ...', 'burgers (Cole-Hopf, nu = 0.003183)', 'ODE system by adaptive RK45'. */
  readonly label: string;
  /** Evaluation grid resolution per axis. */
  readonly grid?: readonly number[];
  /** Values at points (n*d) -> (n*m), outputs in the problem's order. */
  evaluate(points: Float64Array): Float64Array;
}

type Solver = Exclude<NonNullable<ReferenceConfig['solver']>, 'burgers'>;
type Box = Geometry['bbox'];

/** The fixed value of each problem parameter (the initial value of a trainable one). */
function fixedParameters(config: ProblemConfig): Record<string, number> {
  const fixed: Record<string, number> = {};
  for (const [k, v] of Object.entries(config.parameters ?? {})) fixed[k] = typeof v === 'number' ? v : v.initial;
  return fixed;
}

/** The reference of a config (closed form or classical solver), or undefined when it has neither. */
export function referenceFromConfig(
  config: ProblemConfig,
  geometry: Pick<Geometry, 'names' | 'bbox'>,
  outputs: readonly string[],
): ReferenceSolution | undefined {
  const ref = config.reference;
  if (!ref || (!ref.exact && !ref.solver)) return undefined;
  const inputs = geometry.names;
  const grid = ref.grid;
  if (ref.solver === 'burgers') return burgersReference(config, inputs, grid);
  if (ref.solver) {
    const s = solverReference(ref.solver, inputs, outputs, geometry.bbox);
    return { ...s, grid };
  }
  return exactReference(ref.exact!, fixedParameters(config), inputs, outputs, grid);
}

function burgersReference(
  config: ProblemConfig,
  inputs: readonly string[],
  grid?: readonly number[],
): ReferenceSolution {
  const d = inputs.length;
  const nu = config.parameters?.nu !== undefined ? fixedParameters(config).nu : 0.01 / Math.PI;
  const xi = inputs.indexOf('x');
  const ti = inputs.indexOf('t');
  if (xi < 0 || ti < 0) throw new Error('the burgers solution needs inputs x and t');
  return {
    label: `burgers (Cole-Hopf, nu = ${nu.toPrecision(4)})`,
    grid,
    evaluate: (p) =>
      Float64Array.from({ length: p.length / d }, (_, k) => burgersExact(p[k * d + xi], p[k * d + ti], { nu })),
  };
}

function exactReference(
  exact: string | Record<string, string>,
  fixed: Record<string, number>,
  inputs: readonly string[],
  outputs: readonly string[],
  grid?: readonly number[],
): ReferenceSolution {
  const d = inputs.length;
  const texts = typeof exact === 'string' ? { [outputs[0]]: exact } : exact;
  const compiled = outputs.map((o) => {
    const t = texts[o];
    if (t === undefined)
      throw new Error(`reference.exact: no expression for output ${o}; give one per output as {"${o}": "..."}`);
    return compileExpression(t, [...inputs, ...Object.keys(fixed)], { what: `reference.exact for ${o}` });
  });
  return {
    label: `exact: ${Object.values(texts).join('; ')}`,
    grid,
    evaluate(p) {
      const n = p.length / d;
      const m = outputs.length;
      const out = new Float64Array(n * m);
      const env: Record<string, number> = { ...fixed };
      for (let k = 0; k < n; k++) {
        inputs.forEach((name, j) => (env[name] = p[k * d + j]));
        compiled.forEach((c, j) => (out[k * m + j] = c.evaluate(numberAlgebra, env)));
      }
      return out;
    },
  };
}

function checkOutputs(keys: readonly string[], outputs: readonly string[], field: string): void {
  for (const k of keys)
    if (!outputs.includes(k))
      throw new Error(`reference.solver.${field}: '${k}' is not an output; outputs are ${outputs.join(', ')}`);
  for (const o of outputs)
    if (!keys.includes(o))
      throw new Error(
        `reference.solver.${field}: no entry for output '${o}'; give one per output (${outputs.join(', ')})`,
      );
}

/** An array result of the array algebra (a constant expression broadcast to n values). */
const asArray = (v: ArrayOrNumber, n: number): Float64Array =>
  typeof v === 'number' ? new Float64Array(n).fill(v) : v;

function solverReference(
  s: Solver,
  inputs: readonly string[],
  outputs: readonly string[],
  box: Box,
): Omit<ReferenceSolution, 'grid'> {
  if (s.type === 'ode') return odeReference(s, inputs, outputs, box);
  if (inputs.length !== 2 || outputs.length !== 1) {
    throw new Error(
      `reference.solver type '${s.type}' needs inputs (space, time) and one output, the problem has ${inputs.join(', ')} -> ${outputs.join(', ')}`,
    );
  }
  const [x, t] = inputs;
  const u = outputs[0];
  const names = { u, ux: `${u}_${x}`, uxx: `${u}_${x}${x}` };
  const field: SpaceTimeField = s.type === 'lines' ? linesField(s, x, names, box) : spectralField(s, x, names, box);
  void t;
  const label =
    s.type === 'lines'
      ? `method of lines (${s.nx} cells, RK45)`
      : `Fourier pseudo-spectral ETDRK4 (${s.n} modes, dt = ${s.dt})`;
  return { label, evaluate: field };
}

function odeReference(
  s: Extract<Solver, { type: 'ode' }>,
  inputs: readonly string[],
  outputs: readonly string[],
  box: Box,
): Omit<ReferenceSolution, 'grid'> {
  if (inputs.length !== 1)
    throw new Error(
      `reference.solver type 'ode' needs one input (time), the problem has ${inputs.length} (${inputs.join(', ')})`,
    );
  checkOutputs(Object.keys(s.rhs), outputs, 'rhs');
  checkOutputs(Object.keys(s.initial), outputs, 'initial');
  const t = inputs[0];
  const known = [t, ...outputs, ...Object.keys(s.parameters)];
  const fns = outputs.map((o) => compileExpression(s.rhs[o], known, { what: `reference.solver.rhs.${o}` }));
  const rhs = (tt: number, y: Float64Array) => {
    const env: Record<string, number> = { ...s.parameters, [t]: tt };
    outputs.forEach((o, k) => (env[o] = y[k]));
    return fns.map((g) => g.evaluate(numberAlgebra, env));
  };
  const trajectory = odeTrajectory({ rhs, y0: outputs.map((o) => s.initial[o]), t0: box.lo[0], rtol: s.rtol });
  return { label: 'ODE system by adaptive RK45', evaluate: trajectory };
}

type Names = { readonly u: string; readonly ux: string; readonly uxx: string };

function linesField(s: Extract<Solver, { type: 'lines' }>, x: string, names: Names, box: Box): SpaceTimeField {
  const p = s.parameters;
  const rhs = compileExpression(s.rhs, [x, names.u, names.ux, names.uxx, ...Object.keys(p)], {
    what: 'reference.solver.rhs',
  });
  const init = compileExpression(s.initial, [x, ...Object.keys(p)], { what: 'reference.solver.initial' });
  return methodOfLines({
    rhs: (xs, u, ux, uxx) =>
      asArray(rhs.evaluate(arrayAlgebra, { ...p, [x]: xs, [names.u]: u, [names.ux]: ux, [names.uxx]: uxx }), xs.length),
    initial: (xs) => asArray(init.evaluate(arrayAlgebra, { ...p, [x]: xs }), xs.length),
    interval: [box.lo[0], box.hi[0]],
    t0: box.lo[1],
    boundary: s.boundary,
    nx: s.nx,
    rtol: s.rtol,
  });
}

function spectralField(s: Extract<Solver, { type: 'spectral' }>, x: string, names: Names, box: Box): SpaceTimeField {
  const p = s.parameters;
  const orders = [names.u, names.ux, names.uxx, `${names.uxx}${x}`, `${names.uxx}${x}${x}`];
  const linear = orders.map(() => 0);
  for (const [k, c] of Object.entries(s.linear)) {
    const i = orders.indexOf(k);
    if (i < 0)
      throw new Error(
        `reference.solver.linear: '${k}' is not a derivative of ${names.u} in ${x}; use ${orders.join(', ')}`,
      );
    linear[i] = c;
  }
  const n = compileExpression(s.nonlinear, [x, names.u, names.ux, names.uxx, ...Object.keys(p)], {
    what: 'reference.solver.nonlinear',
  });
  const init = compileExpression(s.initial, [x, ...Object.keys(p)], { what: 'reference.solver.initial' });
  const order = n.symbols.includes(names.uxx) ? 2 : n.symbols.includes(names.ux) ? 1 : 0;
  if (s.n & (s.n - 1))
    throw new Error(
      `reference.solver.n must be a power of two (the FFT's), got ${s.n}; use ${2 ** Math.round(Math.log2(s.n))}`,
    );
  return periodicSpectral({
    linear,
    nonlinear: (xs, u, ux, uxx) =>
      asArray(n.evaluate(arrayAlgebra, { ...p, [x]: xs, [names.u]: u, [names.ux]: ux, [names.uxx]: uxx }), xs.length),
    nonlinearOrder: order,
    initial: (xs) => asArray(init.evaluate(arrayAlgebra, { ...p, [x]: xs }), xs.length),
    interval: [box.lo[0], box.hi[0]],
    t0: box.lo[1],
    n: s.n,
    dt: s.dt,
    dealias: s.dealias,
  }).evaluate;
}

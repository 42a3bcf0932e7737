/**
 * Classical reference solutions evaluated on arbitrary points (N, d) -> (N, m), from a `ReferenceSpec`.
 * Text is compiled by @aml/pinn's expression compiler (mathjs tree, never JavaScript eval), so an
 * unknown symbol fails before training with the list of known ones.
 */
import { rk45 } from '@aml/core';
import { compileExpression, numberAlgebra } from '@aml/pinn';
import type { Box } from '../report/grid';
import { arrayAlgebra, type ArrayOrNumber } from './array-algebra';
import type { ReferenceSpec } from './schema';

/** A reference: points (N, d) row-major -> values (N, m) row-major. */
export type ReferenceFn = (points: Float64Array) => Float64Array;

/** The problem's names and box, which the reference must match. */
export interface ReferenceContext {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly box: Box;
}

function checkOutputs(keys: readonly string[], ctx: ReferenceContext, field: string): void {
  for (const k of keys) if (!ctx.outputs.includes(k)) throw new Error(`reference.${field}: '${k}' is not an output; outputs are ${ctx.outputs.join(', ')}`);
  for (const o of ctx.outputs) if (!keys.includes(o)) throw new Error(`reference.${field}: no entry for output '${o}'; give one per output (${ctx.outputs.join(', ')})`);
}

/** Sorted distinct values of column j. */
function distinct(points: Float64Array, d: number, j: number): number[] {
  const s = new Set<number>();
  for (let i = j; i < points.length; i += d) s.add(points[i]);
  return [...s].sort((a, b) => a - b);
}

/**
 * Build the reference function. Expressions are compiled now (so mistakes fail before training);
 * numerical solutions are computed lazily at the times asked for.
 */
export function buildReference(spec: ReferenceSpec, ctx: ReferenceContext): ReferenceFn {
  const d = ctx.inputs.length;
  const m = ctx.outputs.length;
  switch (spec.type) {
    case 'ode': {
      if (d !== 1) throw new Error(`reference type 'ode' needs one input (time), the problem has ${d} (${ctx.inputs.join(', ')})`);
      checkOutputs(Object.keys(spec.rhs), ctx, 'rhs');
      checkOutputs(Object.keys(spec.initial), ctx, 'initial');
      const t = ctx.inputs[0];
      const known = [t, ...ctx.outputs, ...Object.keys(spec.parameters)];
      const fns = ctx.outputs.map((o) => compileExpression(spec.rhs[o], known, { what: `reference.rhs.${o}` }));
      const t0 = ctx.box.lo[0];
      const y0 = ctx.outputs.map((o) => spec.initial[o]);
      const f = (tt: number, y: Float64Array) => {
        const env: Record<string, number> = { ...spec.parameters, [t]: tt };
        ctx.outputs.forEach((o, k) => (env[o] = y[k]));
        return fns.map((g) => g.evaluate(numberAlgebra, env));
      };
      return (points) => {
        const times = distinct(points, 1, 0);
        const tEval = times.filter((x) => x !== t0);
        const sol = tEval.length ? rk45(f, y0, t0, Math.max(...tEval), { rtol: spec.rtol, atol: spec.rtol * 1e-3, tEval }) : undefined;
        const at = new Map<number, ArrayLike<number>>([[t0, y0]]);
        if (sol) sol.t.forEach((tt, k) => at.set(tt, sol.y[k]));
        const out = new Float64Array(points.length * m);
        for (let i = 0; i < points.length; i++) {
          const y = at.get(points[i]);
          if (!y) throw new Error(`reference: RK45 gave no state at t = ${points[i]}`);
          for (let k = 0; k < m; k++) out[i * m + k] = y[k];
        }
        return out;
      };
    }
    case 'lines':
      return linesReference(spec, ctx);
  }
}

/** Method of lines for u_t = F(x, u, u_x, u_xx) on inputs (x, t), one output. */
function linesReference(spec: Extract<ReferenceSpec, { type: 'lines' }>, ctx: ReferenceContext): ReferenceFn {
  if (ctx.inputs.length !== 2 || ctx.outputs.length !== 1) {
    throw new Error(`reference type 'lines' needs inputs (space, time) and one output, the problem has ${ctx.inputs.join(', ')} -> ${ctx.outputs.join(', ')}`);
  }
  const [xName, tName] = ctx.inputs;
  const u = ctx.outputs[0];
  const sym = { u, ux: `${u}_${xName}`, uxx: `${u}_${xName}${xName}` };
  const rhs = compileExpression(spec.rhs, [xName, sym.u, sym.ux, sym.uxx, ...Object.keys(spec.parameters)], { what: 'reference.rhs' });
  const init = compileExpression(spec.initial, [xName, ...Object.keys(spec.parameters)], { what: 'reference.initial' });
  const [a, b] = [ctx.box.lo[0], ctx.box.hi[0]];
  const [t0] = [ctx.box.lo[1]];
  const nx = spec.nx;
  const h = (b - a) / nx;
  const periodic = spec.boundary === 'periodic';
  // Unknowns: periodic -> x_0..x_{nx-1} (x_nx = x_0); Dirichlet -> interior x_1..x_{nx-1}.
  const xs = Float64Array.from({ length: nx + 1 }, (_, i) => a + i * h);
  const ends = periodic ? undefined : (spec.boundary as { dirichlet: [number, number] }).dirichlet;
  const full = (y: Float64Array): Float64Array => {
    const v = new Float64Array(nx + 1);
    if (periodic) {
      v.set(y);
      v[nx] = y[0];
    } else {
      v.set(y, 1);
      [v[0], v[nx]] = ends!;
    }
    return v;
  };
  const n = periodic ? nx : nx - 1;
  const off = periodic ? 0 : 1;
  const xIn = xs.slice(off, off + n);
  const f = (_t: number, y: Float64Array) => {
    const v = full(y);
    const ux = new Float64Array(n);
    const uxx = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = k + off;
      const left = i === 0 ? v[nx - 1] : v[i - 1]; // periodic wrap at i = 0
      const right = v[i + 1];
      ux[k] = (right - left) / (2 * h);
      uxx[k] = (right - 2 * v[i] + left) / (h * h);
    }
    const r = rhs.evaluate(arrayAlgebra, { ...spec.parameters, [xName]: xIn, [sym.u]: y, [sym.ux]: ux, [sym.uxx]: uxx });
    return typeof r === 'number' ? new Float64Array(n).fill(r) : r;
  };
  const y0v = init.evaluate(arrayAlgebra, { ...spec.parameters, [xName]: xIn });
  const y0 = typeof y0v === 'number' ? new Float64Array(n).fill(y0v) : y0v;
  const cache = new Map<number, Float64Array>([[t0, full(y0)]]);
  void tName;
  return (points) => {
    const need = distinct(points, 2, 1).filter((t) => !cache.has(t));
    if (need.length) {
      const sol = rk45(f, y0, t0, Math.max(...need), { rtol: spec.rtol, atol: spec.rtol * 1e-2, tEval: need, maxStep: (Math.max(...need) - t0) / 20 });
      sol.t.forEach((t, k) => cache.set(t, full(sol.y[k])));
    }
    const out = new Float64Array(points.length / 2);
    for (let i = 0; i < out.length; i++) {
      const v = cache.get(points[2 * i + 1])!;
      // Linear interpolation in x on the fine grid.
      const s = Math.min(nx - 1, Math.max(0, Math.floor((points[2 * i] - a) / h)));
      const w = (points[2 * i] - xs[s]) / h;
      out[i] = (1 - w) * v[s] + w * v[s + 1];
    }
    return out;
  };
}

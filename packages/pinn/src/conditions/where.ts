/** Turning `on` (named boundary, predicate text, function) into point predicates and samplers. */
import { check, positiveInt, type Rng } from '@aml/core';
import type { Geometry } from '../geometry/geometry';
import { isSpaceTime } from '../geometry/space-time';
import type { SamplerName } from '../sampling/samplers';
import { numberAlgebra } from '../problems/algebras';
import { compileExpression } from '../problems/expression';
import type { Where } from './condition';

/** A predicate on points from `on`; names (e.g. 'x=0', 'initial') win over predicate text. */
export function wherePredicate(on: Where | undefined, geometry: Geometry): ((p: number[]) => boolean) | undefined {
  if (on === undefined) return undefined;
  if (typeof on === 'function') return on;
  // own names only: 'constructor' or 'toString' are not boundaries
  const named = Object.hasOwn(geometry.boundaries, on.trim()) ? geometry.boundaries[on.trim()] : undefined;
  if (named) return (p) => named(p);
  const c = compileExpression(on, geometry.names, {
    mode: 'predicate',
    what: `where "${on}"`,
    knownList: [...geometry.names, ...Object.keys(geometry.boundaries).map((b) => `'${b}'`)],
  });
  return (p) => {
    const env: Record<string, number> = {};
    geometry.names.forEach((n, i) => (env[n] = p[i]));
    return c.evaluate(numberAlgebra, env) !== 0;
  };
}

/**
 * n points from `draw` (which samples candidates) that satisfy `pred`, oversampling until
 * enough are kept; fails naming the place when none qualify.
 */
export function sampleWhere(
  draw: (m: number, sampler: SamplerName) => Float64Array,
  pred: ((p: number[]) => boolean) | undefined,
  n: number,
  d: number,
  rng: Rng,
  sampler: SamplerName,
  what: string,
): Float64Array {
  check(positiveInt(), n, `${what}: number of points`);
  if (!pred) return draw(n, sampler);
  const out = new Float64Array(n * d);
  let kept = 0;
  let m = n * 2;
  for (let round = 0; round < 8 && kept < n; round++) {
    const c = draw(m, round === 0 ? sampler : 'uniform');
    const idx = rng.permutation(c.length / d);
    let got = 0;
    for (const k of idx) {
      if (kept >= n) break;
      const p = Array.from(c.subarray(k * d, (k + 1) * d));
      if (pred(p)) {
        out.set(p, d * kept++);
        got++;
      }
    }
    // Grow the draw where the place is rare, within a cap so a place that does not exist fails fast.
    m = Math.min(200 * n + 20_000, Math.ceil(m * (got === 0 ? 8 : Math.max(2, (2 * (n - kept)) / got))));
  }
  if (kept < n)
    throw new Error(`${what}: found only ${kept} of ${n} points; does the place exist on this domain's boundary?`);
  return out;
}

/** Draw boundary candidates (spatial boundary for space-time domains). */
export function boundaryDraw(geometry: Geometry, rng: Rng): (m: number, sampler: SamplerName) => Float64Array {
  return (m, sampler) => geometry.sampleBoundary(m, rng, sampler);
}

/** Draw initial-slice candidates (space-time) or the start point of a time interval. */
export function initialDraw(geometry: Geometry, rng: Rng): (m: number, sampler: SamplerName) => Float64Array {
  assertTimeAxis(geometry);
  if (isSpaceTime(geometry)) return (m, sampler) => geometry.sampleInitial(m, rng, sampler);
  return (m) => new Float64Array(m).fill(geometry.bbox.lo[0]);
}

/** Initial conditions need a space-time domain or a (time) interval. */
export function assertTimeAxis(geometry: Geometry): void {
  if (isSpaceTime(geometry) || geometry.dim === 1) return;
  throw new Error(
    `initial condition: the domain ${geometry.label} has no time axis; use timeDomain(space, t0, t1), or an interval for an ODE`,
  );
}

/** Outward normals at boundary points (n*d). */
export function normalsAt(geometry: Geometry, x: Float64Array): Float64Array {
  const d = geometry.dim;
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length / d; k++) out.set(geometry.normal(x.subarray(k * d, (k + 1) * d)), k * d);
  return out;
}

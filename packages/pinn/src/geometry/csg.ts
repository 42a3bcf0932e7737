/**
 * Constructive solid geometry: union, difference and intersection of two geometries of
 * the same dimension. Boundary points are drawn from both operands' boundaries in
 * proportion to their measures and kept where they bound the result.
 */
import type { Rng } from '@aml/core';
import type { SamplerName } from '../sampling/samplers';
import { BOUNDARY_TOL, diameter, sampleByRejection, type BoundingBox, type Geometry, type Point } from './geometry';

type Op = 'union' | 'difference' | 'intersection';

/** Geometries that know their boundary measure sample CSG boundaries in proportion. */
function measure(g: Geometry): number {
  return (g as { boundaryMeasure?: number }).boundaryMeasure ?? 1;
}

export class Csg implements Geometry {
  readonly label: string;
  readonly dim: number;
  readonly names: readonly string[];
  readonly bbox: BoundingBox;
  readonly boundaries: Readonly<Record<string, (p: Point) => boolean>>;
  readonly boundaryMeasure: number;
  private readonly tol: number;

  constructor(
    readonly op: Op,
    readonly a: Geometry,
    readonly b: Geometry,
  ) {
    if (a.dim !== b.dim)
      throw new Error(
        `${op}: both geometries need the same dimension, got ${a.dim} (${a.label}) and ${b.dim} (${b.label})`,
      );
    this.dim = a.dim;
    this.names = a.names;
    const lo = a.bbox.lo.map((l, i) =>
      op === 'union' ? Math.min(l, b.bbox.lo[i]) : op === 'intersection' ? Math.max(l, b.bbox.lo[i]) : l,
    );
    const hi = a.bbox.hi.map((h, i) =>
      op === 'union' ? Math.max(h, b.bbox.hi[i]) : op === 'intersection' ? Math.min(h, b.bbox.hi[i]) : h,
    );
    if (lo.some((l, i) => !(hi[i] > l))) throw new Error(`${op} of ${a.label} and ${b.label} is empty`);
    this.bbox = { lo, hi };
    this.tol = BOUNDARY_TOL * diameter(this.bbox);
    this.label = `${op}(${a.label}, ${b.label})`;
    this.boundaryMeasure = measure(a) + measure(b);
    const named: Record<string, (p: Point) => boolean> = {};
    for (const [k, f] of Object.entries(a.boundaries)) named[k] = (p) => f(p) && this.onBoundary(p);
    for (const [k, f] of Object.entries(b.boundaries)) if (!(k in named)) named[k] = (p) => f(p) && this.onBoundary(p);
    this.boundaries = named;
  }

  private strictlyInside(g: Geometry, p: Point): boolean {
    return g.inside(p) && !g.onBoundary(p, this.tol);
  }

  inside(p: Point): boolean {
    switch (this.op) {
      case 'union':
        return this.a.inside(p) || this.b.inside(p);
      case 'intersection':
        return this.a.inside(p) && this.b.inside(p);
      default:
        return this.a.inside(p) && !this.strictlyInside(this.b, p);
    }
  }

  /** Which operand's boundary p lies on (as part of the result's boundary), or null. */
  private part(p: Point, tol = this.tol): 'a' | 'b' | null {
    const onA = this.a.onBoundary(p, tol);
    const onB = this.b.onBoundary(p, tol);
    switch (this.op) {
      case 'union':
        if (onA && !this.strictlyInside(this.b, p)) return 'a';
        if (onB && !this.strictlyInside(this.a, p)) return 'b';
        return null;
      case 'intersection':
        if (onA && this.b.inside(p)) return 'a';
        if (onB && this.a.inside(p)) return 'b';
        return null;
      default:
        if (onA && !this.strictlyInside(this.b, p)) return 'a';
        if (onB && this.a.inside(p)) return 'b';
        return null;
    }
  }

  onBoundary(p: Point, tol = this.tol): boolean {
    return this.part(p, tol) !== null;
  }

  normal(p: Point): number[] {
    const part = this.part(p);
    if (part === null) throw new Error(`${this.label}: normal asked at a point that is not on the boundary`);
    if (part === 'a') return this.a.normal(p);
    const nb = this.b.normal(p);
    // The hole of a difference is bounded by B's boundary seen from outside B.
    return this.op === 'difference' ? nb.map((v) => -v) : nb;
  }

  sampleInterior(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    return sampleByRejection(n, this.bbox, (p) => this.inside(p) && !this.onBoundary(p), rng, sampler, this.label);
  }

  sampleBoundary(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    const d = this.dim;
    const wa = measure(this.a);
    const wb = measure(this.b);
    const out = new Float64Array(n * d);
    let kept = 0;
    for (let round = 0; round < 30 && kept < n; round++) {
      const m = Math.max(16, 2 * (n - kept) * (round + 1));
      const ma = Math.max(1, Math.round((m * wa) / (wa + wb)));
      const mb = Math.max(1, m - ma);
      const cand = [
        this.a.sampleBoundary(ma, rng, round === 0 ? sampler : 'uniform'),
        this.b.sampleBoundary(mb, rng, round === 0 ? sampler : 'uniform'),
      ];
      // Interleave the two candidate lists in proportion so a cut-off keeps the ratio.
      const pts: Float64Array[] = [];
      for (const c of cand) for (let k = 0; k < c.length / d; k++) pts.push(c.subarray(k * d, (k + 1) * d));
      const order = rng.permutation(pts.length);
      for (let k = 0; k < order.length && kept < n; k++) {
        const p = pts[order[k]];
        if (this.onBoundary(p)) out.set(p, d * kept++);
      }
    }
    if (kept < n) throw new Error(`${this.label}: could not sample ${n} boundary points`);
    return out;
  }
}

/** a ∪ b. */
export function union(a: Geometry, b: Geometry): Csg {
  return new Csg('union', a, b);
}
/** a \ b. */
export function difference(a: Geometry, b: Geometry): Csg {
  return new Csg('difference', a, b);
}
/** a ∩ b. */
export function intersection(a: Geometry, b: Geometry): Csg {
  return new Csg('intersection', a, b);
}

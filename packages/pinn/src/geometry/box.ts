/**
 * Axis-aligned boxes: `interval` (1D), `rectangle` (2D) and `box` (n-d).
 * Named boundaries are the faces, e.g. 'x=0', 'x=1', 'y=-1' (as written in configs).
 */
import type { Rng } from '@aml/core';
import { sampleUnitCube, type SamplerName } from '../sampling/samplers';
import { BOUNDARY_TOL, checkBounds, diameter, type BoundingBox, type Geometry, type Point } from './geometry';

/** Default coordinate names by dimension. */
export function defaultNames(d: number): string[] {
  if (d <= 3) return ['x', 'y', 'z'].slice(0, d);
  return Array.from({ length: d }, (_, i) => `x${i + 1}`);
}

/** Split n into parts proportional to weights (largest remainder, deterministic). */
export function allocate(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (n * w) / total);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

export class Box implements Geometry {
  readonly label: string;
  readonly dim: number;
  readonly bbox: BoundingBox;
  readonly boundaries: Readonly<Record<string, (p: Point) => boolean>>;
  /** Total face measure (2 in 1D: two end points). */
  readonly boundaryMeasure: number;
  private readonly tol: number;

  /**
   * @param lo lower corner (length d)
   * @param hi upper corner (length d), hi > lo on every axis
   * @param names coordinate names (default x, y, z)
   */
  constructor(
    lo: readonly number[],
    hi: readonly number[],
    readonly names: readonly string[] = defaultNames(lo.length),
  ) {
    checkBounds(names, lo, hi, 'box');
    this.dim = lo.length;
    this.bbox = { lo: [...lo], hi: [...hi] };
    this.tol = BOUNDARY_TOL * diameter(this.bbox);
    this.label = names.map((n, i) => `${n} in [${lo[i]}, ${hi[i]}]`).join(', ');
    const faces: Record<string, (p: Point) => boolean> = {};
    names.forEach((n, i) => {
      faces[`${n}=${lo[i]}`] = (p) => Math.abs(p[i] - lo[i]) <= this.tol && this.inside(p);
      faces[`${n}=${hi[i]}`] = (p) => Math.abs(p[i] - hi[i]) <= this.tol && this.inside(p);
    });
    this.boundaries = faces;
    this.boundaryMeasure = this.faceMeasures().reduce((a, b) => a + b, 0);
  }

  /** Measure of each face, in the order (axis 0 lo, axis 0 hi, axis 1 lo, ...). */
  private faceMeasures(): number[] {
    const ext = this.bbox.lo.map((l, i) => this.bbox.hi[i] - l);
    const out: number[] = [];
    for (let i = 0; i < this.dim; i++) {
      const m = ext.reduce((a, e, j) => (j === i ? a : a * e), 1);
      out.push(m, m);
    }
    return out;
  }

  inside(p: Point): boolean {
    for (let i = 0; i < this.dim; i++)
      if (p[i] < this.bbox.lo[i] - this.tol || p[i] > this.bbox.hi[i] + this.tol) return false;
    return true;
  }

  onBoundary(p: Point, tol = this.tol): boolean {
    if (!this.inside(p)) return false;
    for (let i = 0; i < this.dim; i++)
      if (Math.abs(p[i] - this.bbox.lo[i]) <= tol || Math.abs(p[i] - this.bbox.hi[i]) <= tol) return true;
    return false;
  }

  normal(p: Point): number[] {
    const nrm = new Array<number>(this.dim).fill(0);
    for (let i = 0; i < this.dim; i++) {
      if (Math.abs(p[i] - this.bbox.lo[i]) <= this.tol) nrm[i] -= 1;
      if (Math.abs(p[i] - this.bbox.hi[i]) <= this.tol) nrm[i] += 1;
    }
    const len = Math.hypot(...nrm);
    if (len === 0)
      throw new Error(`box normal: point (${Array.from(p).join(', ')}) is not on the boundary of ${this.label}`);
    return nrm.map((v) => v / len);
  }

  sampleInterior(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    const u = sampleUnitCube(sampler, n, this.dim, rng);
    for (let k = 0; k < u.length; k++) {
      const i = k % this.dim;
      u[k] = this.bbox.lo[i] + (this.bbox.hi[i] - this.bbox.lo[i]) * u[k];
    }
    return u;
  }

  sampleBoundary(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    const d = this.dim;
    const counts = allocate(n, this.faceMeasures());
    const out: number[] = [];
    counts.forEach((c, f) => {
      if (c === 0) return;
      const axis = Math.floor(f / 2);
      const value = f % 2 === 0 ? this.bbox.lo[axis] : this.bbox.hi[axis];
      const u = d > 1 ? sampleUnitCube(sampler, c, d - 1, rng) : new Float64Array(c);
      const m = d > 1 ? u.length / (d - 1) : c;
      for (let k = 0; k < m; k++) {
        let q = 0;
        for (let i = 0; i < d; i++) {
          if (i === axis) out.push(value);
          else out.push(this.bbox.lo[i] + (this.bbox.hi[i] - this.bbox.lo[i]) * u[k * (d - 1) + q++]);
        }
      }
    });
    return Float64Array.from(out);
  }
}

/** The interval [a, b] with coordinate `name` (default 'x'). */
export function interval(a: number, b: number, name = 'x'): Box {
  return new Box([a], [b], [name]);
}

/** The rectangle [x0, x1] x [y0, y1]. */
export function rectangle(
  lo: readonly [number, number],
  hi: readonly [number, number],
  names: readonly [string, string] = ['x', 'y'],
): Box {
  return new Box(lo, hi, names);
}

/** The n-d box [lo, hi]. */
export function box(lo: readonly number[], hi: readonly number[], names?: readonly string[]): Box {
  return new Box(lo, hi, names);
}

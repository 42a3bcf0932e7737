/**
 * A spatial geometry crossed with a time interval [t0, t1]: the domain of evolution
 * equations. The last coordinate is time. `onBoundary`, `normal` and `sampleBoundary`
 * refer to the spatial boundary (where boundary conditions apply); the initial slice
 * t = t0 has its own sampler (`sampleInitial`) and the named boundary 'initial'.
 */
import type { Rng } from '@aml/core';
import { sampleUnitCube, type SamplerName } from '../sampling/samplers';
import { Box } from './box';
import { BOUNDARY_TOL, type BoundingBox, type Geometry, type Point } from './geometry';

export class SpaceTime implements Geometry {
  readonly label: string;
  readonly dim: number;
  readonly names: readonly string[];
  readonly bbox: BoundingBox;
  readonly boundaries: Readonly<Record<string, (p: Point) => boolean>>;
  readonly boundaryMeasure: number;
  private readonly tol: number;

  /**
   * @param space the spatial geometry (names must not include the time name)
   * @param t0 start time, @param t1 end time (t1 > t0)
   * @param timeName coordinate name of time (default 't')
   */
  constructor(
    readonly space: Geometry,
    readonly t0: number,
    readonly t1: number,
    readonly timeName = 't',
  ) {
    if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0)) {
      throw new Error(`time domain: ${timeName} in [${t0}, ${t1}] is empty; the end time must exceed the start time`);
    }
    if (space.names.includes(timeName))
      throw new Error(`time domain: the spatial geometry already has a coordinate named ${timeName}`);
    this.dim = space.dim + 1;
    this.names = [...space.names, timeName];
    this.bbox = { lo: [...space.bbox.lo, t0], hi: [...space.bbox.hi, t1] };
    this.tol = BOUNDARY_TOL * (t1 - t0);
    this.label = `${space.label}, ${timeName} in [${t0}, ${t1}]`;
    this.boundaryMeasure = ((space as { boundaryMeasure?: number }).boundaryMeasure ?? 1) * (t1 - t0);
    const named: Record<string, (p: Point) => boolean> = {};
    for (const [k, f] of Object.entries(space.boundaries)) named[k] = (p) => this.inTime(p) && f(this.spatial(p));
    named.initial = (p) => this.isInitial(p);
    named[`${timeName}=${t0}`] = named.initial;
    this.boundaries = named;
  }

  /** The spatial part of a point. */
  spatial(p: Point): Point {
    return Array.prototype.slice.call(p, 0, this.space.dim) as number[];
  }

  private inTime(p: Point): boolean {
    const t = p[this.dim - 1];
    return t >= this.t0 - this.tol && t <= this.t1 + this.tol;
  }

  /** True on the initial slice t = t0 (inside the spatial domain). */
  isInitial(p: Point): boolean {
    return Math.abs(p[this.dim - 1] - this.t0) <= this.tol && this.space.inside(this.spatial(p));
  }

  inside(p: Point): boolean {
    return this.inTime(p) && this.space.inside(this.spatial(p));
  }

  onBoundary(p: Point, tol?: number): boolean {
    return this.inTime(p) && this.space.onBoundary(this.spatial(p), tol);
  }

  normal(p: Point): number[] {
    return [...this.space.normal(this.spatial(p)), 0];
  }

  /** Joins n spatial points with n times from a 1-d sampler (randomly paired). */
  private withTimes(space: Float64Array, n: number, rng: Rng, sampler: SamplerName): Float64Array {
    const ds = this.space.dim;
    const t = sampleUnitCube(sampler === 'grid' ? 'lhs' : sampler, n, 1, rng);
    const perm = rng.permutation(n);
    const out = new Float64Array(n * this.dim);
    for (let k = 0; k < n; k++) {
      out.set(space.subarray(k * ds, (k + 1) * ds), k * this.dim);
      out[k * this.dim + ds] = this.t0 + (this.t1 - this.t0) * t[perm[k]];
    }
    return out;
  }

  sampleInterior(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    if (sampler === 'grid' && this.space instanceof Box) {
      // A full tensor grid over the space-time box.
      const u = sampleUnitCube('grid', n, this.dim, rng);
      for (let k = 0; k < u.length; k++) {
        const i = k % this.dim;
        u[k] = this.bbox.lo[i] + (this.bbox.hi[i] - this.bbox.lo[i]) * u[k];
      }
      return u;
    }
    return this.withTimes(this.space.sampleInterior(n, rng, sampler), n, rng, sampler);
  }

  sampleBoundary(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    return this.withTimes(this.space.sampleBoundary(n, rng, sampler), n, rng, sampler);
  }

  /** n points on the initial slice t = t0. */
  sampleInitial(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    const ds = this.space.dim;
    const s = this.space.sampleInterior(n, rng, sampler);
    const m = s.length / ds;
    const out = new Float64Array(m * this.dim);
    for (let k = 0; k < m; k++) {
      out.set(s.subarray(k * ds, (k + 1) * ds), k * this.dim);
      out[k * this.dim + ds] = this.t0;
    }
    return out;
  }
}

/** space x [t0, t1]. */
export function timeDomain(space: Geometry, t0: number, t1: number, timeName = 't'): SpaceTime {
  return new SpaceTime(space, t0, t1, timeName);
}

/** True when g is a space-time domain. */
export function isSpaceTime(g: Geometry): g is SpaceTime {
  return g instanceof SpaceTime;
}

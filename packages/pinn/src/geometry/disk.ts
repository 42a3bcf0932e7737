/** A disk (2D ball) with centre c and radius r: |p - c| <= r. */
import type { Rng } from '@aml/core';
import { sampleUnitCube, type SamplerName } from '../sampling/samplers';
import { BOUNDARY_TOL, sampleByRejection, type BoundingBox, type Geometry, type Point } from './geometry';

export class Disk implements Geometry {
  readonly label: string;
  readonly dim = 2;
  readonly bbox: BoundingBox;
  readonly boundaries: Readonly<Record<string, (p: Point) => boolean>>;
  readonly boundaryMeasure: number;
  private readonly tol: number;

  constructor(
    readonly center: readonly [number, number],
    readonly radius: number,
    readonly names: readonly string[] = ['x', 'y'],
  ) {
    if (!(radius > 0) || !Number.isFinite(radius))
      throw new Error(`disk: radius must be a positive number, got ${radius}`);
    if (names.length !== 2) throw new Error(`disk: expected 2 coordinate names, got ${names.length}`);
    this.bbox = { lo: [center[0] - radius, center[1] - radius], hi: [center[0] + radius, center[1] + radius] };
    this.tol = BOUNDARY_TOL * 2 * radius;
    this.label = `disk centre (${center.join(', ')}) radius ${radius}`;
    this.boundaries = { circle: (p) => this.onBoundary(p) };
    this.boundaryMeasure = 2 * Math.PI * radius;
  }

  private dist(p: Point): number {
    return Math.hypot(p[0] - this.center[0], p[1] - this.center[1]);
  }

  inside(p: Point): boolean {
    return this.dist(p) <= this.radius + this.tol;
  }

  onBoundary(p: Point, tol = this.tol): boolean {
    return Math.abs(this.dist(p) - this.radius) <= tol;
  }

  normal(p: Point): number[] {
    const r = this.dist(p);
    return [(p[0] - this.center[0]) / r, (p[1] - this.center[1]) / r];
  }

  sampleInterior(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    if (sampler === 'grid') return sampleByRejection(n, this.bbox, (p) => this.inside(p), rng, 'grid', this.label);
    // Area-preserving map of the unit square: r = R sqrt(u), angle = 2 pi v (keeps LHS/Halton structure).
    const u = sampleUnitCube(sampler, n, 2, rng);
    const out = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const r = this.radius * Math.sqrt(u[2 * k]);
      const a = 2 * Math.PI * u[2 * k + 1];
      out[2 * k] = this.center[0] + r * Math.cos(a);
      out[2 * k + 1] = this.center[1] + r * Math.sin(a);
    }
    return out;
  }

  sampleBoundary(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    const u = sampleUnitCube(sampler === 'grid' ? 'grid' : sampler, n, 1, rng);
    const out = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const a = 2 * Math.PI * u[k];
      out[2 * k] = this.center[0] + this.radius * Math.cos(a);
      out[2 * k + 1] = this.center[1] + this.radius * Math.sin(a);
    }
    return out;
  }
}

/** Disk with centre c and radius r. */
export function disk(center: readonly [number, number], radius: number, names?: readonly string[]): Disk {
  return new Disk(center, radius, names);
}

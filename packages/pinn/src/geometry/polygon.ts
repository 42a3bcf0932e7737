/** A simple polygon given by its vertices (either orientation); edges are named 'edge0', 'edge1', ... */
import type { Rng } from '@aml/core';
import { sampleUnitCube, type SamplerName } from '../sampling/samplers';
import { allocate } from './box';
import { BOUNDARY_TOL, diameter, sampleByRejection, type BoundingBox, type Geometry, type Point } from './geometry';

export class Polygon implements Geometry {
  readonly label: string;
  readonly dim = 2;
  readonly bbox: BoundingBox;
  readonly boundaries: Readonly<Record<string, (p: Point) => boolean>>;
  readonly boundaryMeasure: number;
  private readonly tol: number;
  /** +1 for counter-clockwise vertices, -1 for clockwise (sets the outward normal side). */
  private readonly orientation: number;
  private readonly lengths: number[];

  constructor(
    readonly vertices: readonly (readonly [number, number])[],
    readonly names: readonly string[] = ['x', 'y'],
  ) {
    if (vertices.length < 3) throw new Error(`polygon: needs at least 3 vertices, got ${vertices.length}`);
    let area2 = 0;
    for (let i = 0; i < vertices.length; i++) {
      const [x0, y0] = vertices[i];
      const [x1, y1] = vertices[(i + 1) % vertices.length];
      area2 += x0 * y1 - x1 * y0;
    }
    if (!(Math.abs(area2) > 0))
      throw new Error('polygon: the vertices enclose zero area (collinear or repeated points)');
    this.orientation = Math.sign(area2);
    const lo = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    const hi = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const [x, y] of vertices) {
      lo[0] = Math.min(lo[0], x);
      lo[1] = Math.min(lo[1], y);
      hi[0] = Math.max(hi[0], x);
      hi[1] = Math.max(hi[1], y);
    }
    this.bbox = { lo, hi };
    this.tol = BOUNDARY_TOL * diameter(this.bbox);
    this.lengths = vertices.map((v, i) => {
      const w = vertices[(i + 1) % vertices.length];
      return Math.hypot(w[0] - v[0], w[1] - v[1]);
    });
    this.boundaryMeasure = this.lengths.reduce((a, b) => a + b, 0);
    this.label = `polygon with ${vertices.length} vertices`;
    const b: Record<string, (p: Point) => boolean> = {};
    vertices.forEach((_, i) => (b[`edge${i}`] = (p) => this.edgeDistance(i, p) <= this.tol));
    this.boundaries = b;
  }

  /** Distance from p to edge i. */
  private edgeDistance(i: number, p: Point): number {
    const [ax, ay] = this.vertices[i];
    const [bx, by] = this.vertices[(i + 1) % this.vertices.length];
    const dx = bx - ax;
    const dy = by - ay;
    const s = Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(p[0] - ax - s * dx, p[1] - ay - s * dy);
  }

  inside(p: Point): boolean {
    if (this.onBoundary(p)) return true;
    // Ray casting to +x: count edge crossings.
    let c = false;
    const v = this.vertices;
    for (let i = 0, j = v.length - 1; i < v.length; j = i++) {
      if (
        v[i][1] > p[1] !== v[j][1] > p[1] &&
        p[0] < ((v[j][0] - v[i][0]) * (p[1] - v[i][1])) / (v[j][1] - v[i][1]) + v[i][0]
      )
        c = !c;
    }
    return c;
  }

  onBoundary(p: Point, tol = this.tol): boolean {
    return this.vertices.some((_, i) => this.edgeDistance(i, p) <= tol);
  }

  normal(p: Point): number[] {
    let best = 0;
    let bd = Infinity;
    this.vertices.forEach((_, i) => {
      const dd = this.edgeDistance(i, p);
      if (dd < bd) [best, bd] = [i, dd];
    });
    const [ax, ay] = this.vertices[best];
    const [bx, by] = this.vertices[(best + 1) % this.vertices.length];
    const len = this.lengths[best];
    // For a counter-clockwise polygon the outward normal of edge (a -> b) is (dy, -dx).
    return [(this.orientation * (by - ay)) / len, (-this.orientation * (bx - ax)) / len];
  }

  sampleInterior(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    return sampleByRejection(n, this.bbox, (p) => this.inside(p), rng, sampler, this.label);
  }

  sampleBoundary(n: number, rng: Rng, sampler: SamplerName = 'uniform'): Float64Array {
    const counts = allocate(n, this.lengths);
    const out: number[] = [];
    counts.forEach((c, i) => {
      if (c === 0) return;
      const [ax, ay] = this.vertices[i];
      const [bx, by] = this.vertices[(i + 1) % this.vertices.length];
      const u = sampleUnitCube(sampler, c, 1, rng);
      for (let k = 0; k < u.length; k++) out.push(ax + u[k] * (bx - ax), ay + u[k] * (by - ay));
    });
    return Float64Array.from(out);
  }
}

/** Polygon through the given vertices. */
export function polygon(vertices: readonly (readonly [number, number])[], names?: readonly string[]): Polygon {
  return new Polygon(vertices, names);
}

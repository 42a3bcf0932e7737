/**
 * The geometry contract (DeepXDE's anatomy): a domain knows its dimension and input
 * names, whether a point is inside or on its boundary, its outward normals, and how to
 * sample its interior and boundary. Points are flat row-major Float64Array (n*dim).
 *
 * Extend by implementing `Geometry`: e.g. an ellipse needs `inside` (x^2/a^2+y^2/b^2 <= 1),
 * `onBoundary`, `normal` (gradient of the level set, normalised) and the two samplers
 * (rejection from the bounding box via `sampleByRejection`, angle for the boundary).
 */
import type { Rng } from '@aml/core';
import { sampleUnitCube, type SamplerName } from '../sampling/samplers';

/** A point as a plain array of coordinates (length dim). */
export type Point = ArrayLike<number>;

/** Axis-aligned bounding box. */
export interface BoundingBox {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

export interface Geometry {
  /** Short description, e.g. 'interval [0, 1]'. */
  readonly label: string;
  /** Number of coordinates. */
  readonly dim: number;
  /** Coordinate names, e.g. ['x', 'y'] (residuals use them: u_x, u_y). */
  readonly names: readonly string[];
  readonly bbox: BoundingBox;
  /** Named boundary parts (e.g. 'x=0', 'x=1' for an interval); each has a predicate. */
  readonly boundaries: Readonly<Record<string, (p: Point) => boolean>>;
  /** True inside or on the boundary. */
  inside(p: Point): boolean;
  /** True on the boundary, within tol (relative to the domain's size). */
  onBoundary(p: Point, tol?: number): boolean;
  /** Outward unit normal at a boundary point (length dim). */
  normal(p: Point): number[];
  /** n interior points (n*dim). */
  sampleInterior(n: number, rng: Rng, sampler?: SamplerName): Float64Array;
  /** n boundary points (n*dim). */
  sampleBoundary(n: number, rng: Rng, sampler?: SamplerName): Float64Array;
}

/** Default boundary tolerance relative to the bounding box diameter. */
export const BOUNDARY_TOL = 1e-7;

/** Diameter of a bounding box (for scaling tolerances). */
export function diameter(b: BoundingBox): number {
  return Math.hypot(...b.lo.map((l, i) => b.hi[i] - l));
}

/** Row k of a flat point array. */
export function row(points: Float64Array, dim: number, k: number): Float64Array {
  return points.subarray(k * dim, (k + 1) * dim);
}

/** Number of points in a flat array. */
export function count(points: Float64Array, dim: number): number {
  return points.length / dim;
}

/**
 * Sample n points in a bounding box and keep those `accept` allows, oversampling until
 * n are kept (used by disks, polygons and CSG). Fails when the acceptance rate is tiny.
 */
export function sampleByRejection(
  n: number,
  bbox: BoundingBox,
  accept: (p: Point) => boolean,
  rng: Rng,
  sampler: SamplerName,
  what: string,
): Float64Array {
  const d = bbox.lo.length;
  const out = new Float64Array(n * d);
  let kept = 0;
  let batch = n;
  for (let round = 0; round < 30 && kept < n; round++) {
    // Grids are deterministic: repeat them would give the same points, so fall back to uniform.
    const u = sampleUnitCube(round === 0 ? sampler : 'uniform', Math.max(batch, 16), d, rng);
    const m = u.length / d;
    const p = new Float64Array(d);
    for (let i = 0; i < m && kept < n; i++) {
      for (let j = 0; j < d; j++) p[j] = bbox.lo[j] + (bbox.hi[j] - bbox.lo[j]) * u[i * d + j];
      if (accept(p)) {
        out.set(p, kept * d);
        kept++;
      }
    }
    batch = Math.ceil((n - kept) * (round === 0 ? 2 : 4) * (m / Math.max(1, kept))) + 16;
  }
  if (kept < n)
    throw new Error(`${what}: could not sample ${n} points by rejection (kept ${kept}); is the domain empty?`);
  return out;
}

/** Check an n-d box: lo < hi on every axis, with a message naming the axis. */
export function checkBounds(
  names: readonly string[],
  lo: readonly number[],
  hi: readonly number[],
  what: string,
): void {
  if (lo.length !== names.length || hi.length !== names.length) {
    throw new Error(
      `${what}: expected ${names.length} bounds (${names.join(', ')}), got lo of length ${lo.length} and hi of length ${hi.length}`,
    );
  }
  names.forEach((name, i) => {
    if (!Number.isFinite(lo[i]) || !Number.isFinite(hi[i]))
      throw new Error(`${what}: bounds of ${name} must be finite numbers, got [${lo[i]}, ${hi[i]}]`);
    if (!(hi[i] > lo[i])) {
      throw new Error(`${what}: ${name} in [${lo[i]}, ${hi[i]}] is empty; the upper bound must exceed the lower bound`);
    }
  });
}

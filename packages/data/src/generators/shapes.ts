import { check, intAtLeast, positiveInt, type Rng } from '@aml/core';

/** Shape classes of `shapeImages`. */
export type ShapeKind = 'circle' | 'square' | 'triangle';

/** Options of `shapeImages`. */
export interface ShapeImageOptions {
  /** Image side in pixels (default 28, as MNIST). */
  readonly size?: number;
  /** Classes to draw, label = index in this list (default circle, square, triangle). */
  readonly shapes?: readonly ShapeKind[];
  /** Size range of the shape's circumradius as a fraction of the image side (default [0.15, 0.35]). */
  readonly radius?: readonly [number, number];
  /** Rotate squares and triangles by a random angle (default true). */
  readonly rotate?: boolean;
  /** Std of Gaussian pixel noise (default 0). */
  readonly noise?: number;
}

/** Generated images with labels and the drawing parameters (for exact checks). */
export interface ShapeImages {
  /** Row-major (N, size, size), values 1 inside a shape and 0 outside (plus noise). */
  readonly images: Float32Array;
  /** Class index per image (into `classes`), balanced to within one. */
  readonly labels: Int32Array;
  readonly classes: readonly ShapeKind[];
  /** Centre x, centre y (pixels), circumradius (pixels) and angle (radians) per image, (N, 4). */
  readonly params: Float64Array;
}

/** Is the point (px, py) inside the shape? (Polygons by half-planes of their edges.) */
export function insideShape(
  kind: ShapeKind,
  px: number,
  py: number,
  cx: number,
  cy: number,
  r: number,
  angle: number,
): boolean {
  const dx = px - cx;
  const dy = py - cy;
  if (kind === 'circle') return dx * dx + dy * dy <= r * r;
  // Regular polygon with circumradius r: inside iff within the apothem along every edge normal.
  const sides = kind === 'square' ? 4 : 3;
  const apothem = r * Math.cos(Math.PI / sides);
  for (let k = 0; k < sides; k++) {
    const a = angle + (2 * Math.PI * (k + 0.5)) / sides;
    if (dx * Math.cos(a) + dy * Math.sin(a) > apothem) return false;
  }
  return true;
}

/** Exact area of a shape of circumradius r (oracle for the pixel count). */
export function shapeArea(kind: ShapeKind, r: number): number {
  if (kind === 'circle') return Math.PI * r * r;
  const sides = kind === 'square' ? 4 : 3;
  return 0.5 * sides * r * r * Math.sin((2 * Math.PI) / sides);
}

/**
 * Simple shape images (filled circle, square, triangle at random position, size and angle): a small,
 * fully controlled image-classification set for CNN and autoencoder experiments.
 *
 * @example
 *   const { images, labels } = shapeImages(600, new Rng(0), { size: 16 });   // images (600, 16, 16)
 */
export function shapeImages(n: number, rng: Rng, o: ShapeImageOptions = {}): ShapeImages {
  const size = o.size ?? 28;
  const classes = o.shapes ?? ['circle', 'square', 'triangle'];
  const [rlo, rhi] = o.radius ?? [0.15, 0.35];
  check(positiveInt(), n, 'shapeImages: n');
  check(intAtLeast(4), size, 'shapeImages: size');
  if (classes.length === 0) throw new Error('shapeImages: shapes is empty');
  if (!(rlo > 0 && rhi >= rlo && rhi < 0.5))
    throw new Error(`shapeImages: radius must satisfy 0 < lo <= hi < 0.5, got [${rlo}, ${rhi}]`);
  const images = new Float32Array(n * size * size);
  const params = new Float64Array(n * 4);
  // Balanced classes in random order.
  const perm = rng.permutation(n);
  const labels = Int32Array.from({ length: n }, (_, i) => perm[i] % classes.length);
  for (let i = 0; i < n; i++) {
    const kind = classes[labels[i]];
    const r = size * rng.range(rlo, rhi);
    // Keep the whole shape inside the frame.
    const cx = rng.range(r, size - r);
    const cy = rng.range(r, size - r);
    const angle = o.rotate === false ? (kind === 'square' ? -Math.PI / 4 : -Math.PI / 2) : rng.range(0, 2 * Math.PI);
    params.set([cx, cy, r, angle], 4 * i);
    const base = i * size * size;
    for (let py = 0; py < size; py++) {
      for (let px = 0; px < size; px++) {
        let v = insideShape(kind, px + 0.5, py + 0.5, cx, cy, r, angle) ? 1 : 0;
        if (o.noise) v += rng.normal(0, o.noise);
        images[base + py * size + px] = v;
      }
    }
  }
  return { images, labels, classes, params };
}

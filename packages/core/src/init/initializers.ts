/**
 * Weight initialisers, seeded by an explicit `Rng` (values drawn on the JS side, so the same seed
 * gives the same weights on every backend).
 *
 * Fans follow the usual convention: a dense kernel (in, out) has fanIn = in, fanOut = out;
 * a convolution kernel (...spatial, in, out) multiplies both by the receptive-field size.
 */
import { tf } from '../tf';
import type { Rng } from '../random/rng';

/** Makes a fresh weight tensor of `shape` from `rng` (caller owns it, usually wraps it in tf.variable). */
export type Initializer = (shape: readonly number[], rng: Rng) => tf.Tensor;

/** fanIn and fanOut of a kernel shape: (in, out) or (...spatial, in, out); a vector counts as (n, n). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function checkShape(shape: readonly number[], who: string): number {
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${who}: shape must be positive integers, got [${shape}]`);
  }
  return shape.reduce((a, b) => a * b, 1);
}

function normalTensor(shape: readonly number[], rng: Rng, std: number, who: string): tf.Tensor {
  const n = checkShape(shape, who);
  return tf.tensor(rng.normalArray(n, 0, std), shape as number[], 'float32');
}

function uniformTensor(shape: readonly number[], rng: Rng, limit: number, who: string): tf.Tensor {
  const n = checkShape(shape, who);
  return tf.tensor(rng.uniformArray(n, -limit, limit), shape as number[], 'float32');
}

/**
 * Glorot/Xavier normal (Glorot & Bengio 2010): N(0, 2 / (fanIn + fanOut)), untruncated (PyTorch's form).
 * @example const W = tf.variable(glorotNormal([2, 50], rng)); // (2, 50)
 */
export const glorotNormal: Initializer = (shape, rng) => {
  const { fanIn, fanOut } = fans(shape);
  return normalTensor(shape, rng, Math.sqrt(2 / (fanIn + fanOut)), 'glorotNormal');
};

/** Glorot/Xavier uniform: U(-l, l), l = sqrt(6 / (fanIn + fanOut)) (variance 2 / (fanIn + fanOut)). */
export const glorotUniform: Initializer = (shape, rng) => {
  const { fanIn, fanOut } = fans(shape);
  return uniformTensor(shape, rng, Math.sqrt(6 / (fanIn + fanOut)), 'glorotUniform');
};

/** He/Kaiming normal (He et al. 2015), for ReLU nets: N(0, 2 / fanIn). */
export const heNormal: Initializer = (shape, rng) => {
  const { fanIn } = fans(shape);
  return normalTensor(shape, rng, Math.sqrt(2 / fanIn), 'heNormal');
};

/** He/Kaiming uniform: U(-l, l), l = sqrt(6 / fanIn) (variance 2 / fanIn). */
export const heUniform: Initializer = (shape, rng) => {
  const { fanIn } = fans(shape);
  return uniformTensor(shape, rng, Math.sqrt(6 / fanIn), 'heUniform');
};

/**
 * Plain normal N(mean, std^2), independent of the fans.
 * @example const b = normalInit(0, 0.01)([50], rng);
 */
export function normalInit(mean = 0, std = 0.05): Initializer {
  if (!(Number.isFinite(std) && std >= 0)) throw new Error(`normalInit: std must be a finite number >= 0, got ${std}`);
  if (!Number.isFinite(mean)) throw new Error(`normalInit: mean must be finite, got ${mean}`);
  return (shape, rng) => {
    const n = checkShape(shape, 'normalInit');
    return tf.tensor(rng.normalArray(n, mean, std), shape as number[], 'float32');
  };
}

/** Zeros (biases). */
export const zerosInit: Initializer = (shape) => {
  checkShape(shape, 'zerosInit');
  return tf.zeros(shape as number[]);
};

/** Initialisers by name (for configs). */
export const INITIALIZERS = {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  normal: normalInit(),
  zeros: zerosInit,
} as const;
export type InitializerName = keyof typeof INITIALIZERS;

/** Look an initialiser up by name; an unknown name fails listing the valid ones. */
export function getInitializer(name: string): Initializer {
  const f = (INITIALIZERS as Record<string, Initializer>)[name];
  if (!f) throw new Error(`unknown initializer '${name}'; use one of ${Object.keys(INITIALIZERS).join(', ')}`);
  return f;
}

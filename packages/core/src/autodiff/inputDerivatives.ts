/**
 * Derivatives of a batched function's outputs with respect to its inputs, by nested `tf.grad`.
 *
 * For f: (N, d) -> (N, m) acting row by row (any network without batch coupling), the gradient of
 * sum_n f(x)[n, k] with respect to x is, row by row, the gradient of output k at each point. This
 * is the general-purpose reference: it works for any f built from tape-safe ops (the activations of
 * this package), and inside a loss that is itself differentiated for the weights. For plain MLPs,
 * packages/pinn's forward-mode engine computes the same fields several times faster.
 */
import { tf } from '../tf';

/** [] = value, [i] = d/dx_i, [i, j] = d2/dx_i dx_j. */
export type DerivativeIndex = readonly number[];

export type BatchedFunction = (x: tf.Tensor2D) => tf.Tensor2D;

/**
 * `+ 0*x` keeps x on the tape when a derivative does not depend on it (a linear output's second
 * derivative): tfjs throws "Cannot compute gradient ..." instead of returning zeros.
 */
function keepOnTape(x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.add(tf.sum(y), tf.sum(tf.mul(0, x)));
}

function column(t: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.slice(t, [0, k], [-1, 1]) as tf.Tensor2D; // (N, 1)
}

function validate(x: tf.Tensor, requests: readonly DerivativeIndex[]): void {
  if (x.rank !== 2) throw new Error(`inputDerivatives: x must be (N, d), got shape [${x.shape}]`);
  const d = x.shape[1] as number;
  for (const r of requests) {
    if (r.length > 2) throw new Error(`inputDerivatives: order ${r.length} requested ([${r}]); up to 2 is supported`);
    for (const i of r) {
      if (!Number.isInteger(i) || i < 0 || i >= d) {
        throw new Error(`inputDerivatives: input index ${i} in [${r}] is out of range for x with ${d} column(s)`);
      }
    }
  }
}

/**
 * Requested derivatives of every output, as (N, m) tensors in request order.
 *
 * @param f        batched function (N, d) -> (N, m)
 * @param x        points (N, d)
 * @param requests e.g. [[], [1], [0, 0]] for u, u_t, u_xx with inputs (x, t)
 * @example
 *   const [u, ux, uxx] = inputDerivatives(net, x, [[], [0], [0, 0]]);
 */
export function inputDerivatives(
  f: BatchedFunction,
  x: tf.Tensor2D,
  requests: readonly DerivativeIndex[],
): tf.Tensor2D[] {
  validate(x, requests);
  return tf.tidy(() => computeDerivatives(f, x, requests));
}

function computeDerivatives(f: BatchedFunction, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
  const y = f(x); // (N, m)
  const m = y.shape[1];
  const firstCache = new Map<number, tf.Tensor2D>(); // output k -> (N, d) gradient
  const grad1 = (k: number) => {
    let g = firstCache.get(k);
    if (!g) {
      g = tf.grad((xx: tf.Tensor) => keepOnTape(xx, column(f(xx as tf.Tensor2D), k)))(x) as tf.Tensor2D;
      firstCache.set(k, g);
    }
    return g;
  };
  const secondCache = new Map<string, tf.Tensor2D>(); // (k, i) -> (N, d) gradient of d/dx_i
  const grad2 = (k: number, i: number) => {
    const key = `${k},${i}`;
    let g = secondCache.get(key);
    if (!g) {
      g = tf.grad((xx: tf.Tensor) => {
        const first = tf.grad((x3: tf.Tensor) => keepOnTape(x3, column(f(x3 as tf.Tensor2D), k)))(xx) as tf.Tensor2D;
        return keepOnTape(xx, column(first, i));
      })(x) as tf.Tensor2D;
      secondCache.set(key, g);
    }
    return g;
  };
  const perOutput = (pick: (k: number) => tf.Tensor2D) =>
    m === 1
      ? pick(0)
      : (tf.concat(
          Array.from({ length: m }, (_, k) => pick(k)),
          1,
        ) as tf.Tensor2D);

  return requests.map((r) => {
    if (r.length === 0) return y;
    if (r.length === 1) return perOutput((k) => column(grad1(k), r[0]));
    const [i, j] = r[0] <= r[1] ? r : [r[1], r[0]];
    return perOutput((k) => column(grad2(k, i), j));
  });
}

/**
 * Jacobian rows: for each output k, d f_k / dx as (N, d).
 */
export function inputGradient(f: BatchedFunction, x: tf.Tensor2D): tf.Tensor2D[] {
  validate(x, []);
  return tf.tidy(() => {
    const m = f(x).shape[1];
    return Array.from(
      { length: m },
      (_, k) => tf.grad((xx: tf.Tensor) => keepOnTape(xx, column(f(xx as tf.Tensor2D), k)))(x) as tf.Tensor2D,
    );
  });
}

/**
 * Laplacian sum_i d2 f / dx_i^2 over the chosen input columns (default: all), (N, m).
 */
export function laplacian(f: BatchedFunction, x: tf.Tensor2D, dims?: readonly number[]): tf.Tensor2D {
  const ds = dims ?? Array.from({ length: x.shape[1] }, (_, i) => i);
  return tf.tidy(() => {
    const parts = inputDerivatives(
      f,
      x,
      ds.map((i) => [i, i]),
    );
    return parts.reduce((a, b) => tf.add(a, b) as tf.Tensor2D);
  });
}

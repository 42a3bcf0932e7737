/**
 * Elementwise primitives whose gradients are correct at EVERY order under nested `tf.grad`.
 *
 * Why: tfjs's built-in gradients of tanh, sigmoid and exp reuse the op's saved output; when a
 * gradient is itself differentiated (second input derivatives, then weight gradients of a loss built
 * from them) that saved output is not on the tape, so tfjs throws ("Cannot compute gradient of
 * y=f(x)") or, for exp, silently returns a wrong second derivative. Each primitive here is a
 * `tf.customGrad` whose gradient is written with these same primitives, so differentiation can
 * recurse as deep as needed.
 */
import { tf } from '../tf';

type Unary = (x: tf.Tensor) => tf.Tensor;

/** Build f with f' = dfdx(x), where dfdx is itself made of safe ops. */
function safeUnary(forward: Unary, dfdx: Unary): Unary {
  const g = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: forward(x),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, dfdx(saved[0])),
    };
  }) as unknown as (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    value: tf.Tensor;
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor;
  });
  return (x) => g(x) as tf.Tensor;
}

/** exp(x), with d/dx exp = exp. */
export const expSafe: Unary = safeUnary(
  (x) => tf.exp(x),
  (x) => expSafe(x),
);

/** sigmoid(x) = 1/(1+e^-x), with s' = s(1-s). */
export const sigmoidSafe: Unary = safeUnary(
  (x) => tf.sigmoid(x),
  (x) => {
    const s = sigmoidSafe(x);
    return tf.mul(s, tf.sub(1, s));
  },
);

/** tanh(x), with t' = 1 - t^2. */
export const tanhSafe: Unary = safeUnary(
  (x) => tf.tanh(x),
  (x) => {
    const t = tanhSafe(x);
    return tf.sub(1, tf.square(t));
  },
);

/** softplus(x) = log(1+e^x), with softplus' = sigmoid. */
export const softplusSafe: Unary = safeUnary(
  (x) => tf.softplus(x),
  (x) => sigmoidSafe(x),
);

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Standard normal density phi(x) = e^{-x^2/2}/sqrt(2 pi), built from safe exp. */
export function normalPdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(INV_SQRT_2PI, expSafe(tf.mul(-0.5, tf.square(x))));
}

/** Standard normal CDF Phi(x) = (1 + erf(x/sqrt 2))/2, with Phi' = phi. */
export const normalCdfSafe: Unary = safeUnary(
  (x) => tf.mul(0.5, tf.add(1, tf.erf(tf.mul(Math.SQRT1_2, x)))),
  (x) => normalPdf(x),
);

/**
 * matMul whose gradient transposes explicitly. tfjs's built-in matMul gradient calls
 * matMul with transposeA/transposeB flags, which the WASM backend runs about 8x slower
 * than an explicit transpose followed by a plain product (ENGINEERING-NOTES); the Taylor
 * engine's (K*N, w) products dominate a PINN step, so this is the engine's matMul.
 * Same numbers on every backend; only first-order backpropagation runs through it.
 */
import { tf } from '@aml/core';

const fastMatMulOp = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    // d/da = dy b^T (N, in); d/db = a^T dy (in, out)
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [
      tf.matMul(dy, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy),
    ],
  };
}) as unknown as (...args: (tf.Tensor | tf.GradSaveFunc)[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] });

/** (N, in) x (in, out) -> (N, out), with a gradient that avoids transposed-operand kernels. */
export function fastMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return fastMatMulOp(a, b) as tf.Tensor2D;
}

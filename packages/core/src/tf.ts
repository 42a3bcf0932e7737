/**
 * The one TensorFlow.js instance every package uses. Import `tf` from `@aml/core`
 * (never `@tensorflow/tfjs` directly) so that backends, registered kernels and
 * gradients are shared by all packages.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Variable = tf.Variable;

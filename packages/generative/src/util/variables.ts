/** Variable helpers that do not leave their initial value behind as a live tensor. */
import { tf } from '@aml/core';

/** A trainable variable holding `init`, which is disposed (tf.variable keeps its own reference). */
export function ownedVariable(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init);
  init.dispose();
  return v;
}

/**
 * Loss functions, each a mean over the batch. Classification losses take logits (pre-softmax
 * or pre-sigmoid scores) because the fused forms are numerically stable.
 */
import { tf } from '@aml/core';
import { softmaxXent, softmaxXentSupported } from '../fast/softmax-xent';
import { fmtShape } from '../layers/layer';
import { logSoftmax } from '../layers/activation';

function sameShape(what: string, a: tf.Tensor, b: tf.Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(
      `${what}: prediction ${fmtShape(a.shape)} and target ${fmtShape(b.shape)} must have the same shape`,
    );
  }
}

/** Mean squared error, 1/n sum (y - t)^2 over every element. Any shape, same for both. */
export function mse(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  sameShape('mse', pred, target);
  return tf.tidy(() => tf.mean(tf.squaredDifference(pred, target)) as tf.Scalar);
}

/** Mean absolute error. */
export function mae(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  sameShape('mae', pred, target);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(pred, target))) as tf.Scalar);
}

/**
 * Binary cross-entropy from logits z with targets t in [0, 1]:
 * -[t log s(z) + (1-t) log(1-s(z))] = max(z,0) - z t + log(1 + e^{-|z|}).
 */
export function bceWithLogits(logits: tf.Tensor, target: tf.Tensor): tf.Scalar {
  sameShape('bceWithLogits', logits, target);
  return tf.tidy(() => {
    const l = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(l) as tf.Scalar;
  });
}

/** Binary cross-entropy of probabilities p (course form, with 1e-9 inside the logs). */
export function bce(prob: tf.Tensor, target: tf.Tensor, eps = 1e-9): tf.Scalar {
  sameShape('bce', prob, target);
  return tf.tidy(() => {
    const l = tf.add(
      tf.mul(target, tf.log(tf.add(prob, eps))),
      tf.mul(tf.sub(1, target), tf.log(tf.add(tf.sub(1, prob), eps))),
    );
    return tf.neg(tf.mean(l)) as tf.Scalar;
  });
}

/**
 * Categorical cross-entropy from logits (N, ..., K): -mean sum_k t_k log softmax(z)_k.
 * `target` is one-hot (same shape) or integer class labels (N, ...) as an int32 tensor.
 */
export function softmaxCrossEntropy(logits: tf.Tensor, target: tf.Tensor): tf.Scalar {
  const k = logits.shape[logits.rank - 1];
  const oneHot = target.dtype === 'int32' && target.rank === logits.rank - 1;
  if (!oneHot) sameShape('softmaxCrossEntropy', logits, target);
  else if (target.shape.some((d, i) => d !== logits.shape[i])) {
    throw new Error(
      `softmaxCrossEntropy: labels ${fmtShape(target.shape)} must match logits ${fmtShape(logits.shape)} without the class axis`,
    );
  }
  if (
    logits.rank === 2 &&
    logits.dtype === 'float32' &&
    (oneHot || target.dtype === 'float32') &&
    softmaxXentSupported()
  ) {
    return softmaxXent(logits as tf.Tensor2D, target); // one fused operation (same value and gradient)
  }
  return tf.tidy(() => {
    const t = oneHot ? tf.oneHot(target.flatten(), k).reshape(logits.shape) : target;
    return tf.neg(tf.mean(tf.sum(tf.mul(t, logSoftmax(logits)), -1))) as tf.Scalar;
  });
}

/** Fraction of rows whose arg-max logit equals the label. logits (N, K), labels (N) int32 or one-hot (N, K). */
export function accuracyFromLogits(logits: tf.Tensor, labels: tf.Tensor): number {
  return tf.tidy(() => {
    const pred = tf.argMax(logits, -1);
    const t = labels.rank === logits.rank ? tf.argMax(labels, -1) : labels;
    return tf.mean(tf.cast(tf.equal(pred, t), 'float32')).dataSync()[0];
  });
}

/** L1 and L2 weight penalties: l1 * sum |w| + l2 * sum w^2 over the given kernels. */
export function weightPenalty(
  kernels: readonly tf.Tensor[],
  { l1 = 0, l2 = 0 }: { l1?: number; l2?: number },
): tf.Scalar {
  return tf.tidy(() => {
    let s: tf.Tensor = tf.scalar(0);
    for (const w of kernels) {
      if (l1) s = tf.add(s, tf.mul(l1, tf.sum(tf.abs(w))));
      if (l2) s = tf.add(s, tf.mul(l2, tf.sum(tf.square(w))));
    }
    return s as tf.Scalar;
  });
}

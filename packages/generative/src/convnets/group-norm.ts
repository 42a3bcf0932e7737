/**
 * Group normalisation (Wu & He 2018) with its backward pass written out, as one tfjs op.
 *
 * Why by hand: autodiff of the moments-and-broadcast forward emits ~40 small kernels per call
 * (sums over broadcast axes, the square root's and the division's rules), and on the wasm
 * backend every broadcast op costs 3-5x a same-shape one. The closed form per (example, group),
 * with x_hat = (x - mean) / sigma and g = dy * gamma,
 *   dx = (g - mean(g) - x_hat mean(g x_hat)) / sigma,   dgamma = sum dy x_hat,   dbeta = sum dy,
 * needs a dozen. Checked against autodiff of the plain formula in convnets.test.ts.
 */
import { tf } from '@aml/core';

/**
 * y = (x - mean) / sqrt(var + eps) * gamma + beta, moments per example and group of C/G channels.
 * @param x (B, H, W, C)  @param gamma (C)  @param beta (C)  @returns (B, H, W, C)
 */
export function groupNormOp(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  groups: number,
  eps = 1e-5,
): tf.Tensor4D {
  const [B, H, W, C] = x.shape;
  if (C % groups !== 0) throw new Error(`groupNormOp: channels (${C}) must be divisible by groups (${groups})`);
  const grouped = [B, H * W, groups, C / groups]; // moments over axes 1 and 3
  const op = tf.customGrad(((x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const g = x.reshape(grouped);
    const xc = g.sub(g.mean([1, 3], true));
    const rstd = tf.rsqrt(xc.square().mean([1, 3], true).add(eps)); // (B, 1, G, 1)
    const xhat = xc.mul(rstd).reshape(x.shape) as tf.Tensor4D;
    save([xhat, rstd, gamma]);
    return {
      value: xhat.mul(gamma).add(beta),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xhat, rstd, gamma] = saved as [tf.Tensor4D, tf.Tensor, tf.Tensor1D];
        const gx = dy.mul(gamma).reshape(grouped);
        const xh = xhat.reshape(grouped);
        const dx = gx
          .sub(gx.mean([1, 3], true))
          .sub(xh.mul(gx.mul(xh).mean([1, 3], true)))
          .mul(rstd)
          .reshape(x.shape);
        return [dx, dy.mul(xhat).sum([0, 1, 2]), dy.sum([0, 1, 2])];
      },
    };
  }) as unknown as (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    value: tf.Tensor;
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
  });
  return op(x, gamma, beta) as tf.Tensor4D;
}

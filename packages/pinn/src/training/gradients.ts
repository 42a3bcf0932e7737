/**
 * Per-term gradient statistics for adaptive loss weights: max and mean |∇θ L_i| over the network's
 * weight matrices (learning-rate annealing, Wang, Teng & Perdikaris 2021) and the L2 norm
 * ||∇θ L_i||_2 over every trainable variable (gradient-norm balancing, jaxpi).
 */
import { tf } from '@aml/core';
import type { CausalWeighting } from './causal';
import { trainingTermLoss, type TrainingPoints } from '../solver/loss';
import type { PinnModel } from '../solver/model';
import type { GradientStats } from '../weighting/weighting';

/**
 * One backward pass per term (with causal weighting, equations use the step's causal weights).
 * @returns per term name its statistics
 */
export function gradientStats(
  model: PinnModel,
  points: TrainingPoints,
  names: readonly string[],
  causal?: CausalWeighting,
): Record<string, GradientStats> {
  const vars = Object.values(model.variables());
  const weights = new Set(
    Object.values(model.net.params)
      .filter((w) => w.rank === 2)
      .map((w) => w.name),
  ); // weight matrices
  const out: Record<string, GradientStats> = {};
  names.forEach((name, i) => {
    out[name] = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => trainingTermLoss(model, points, i, causal), vars);
      value.dispose();
      const present = vars.filter((v) => grads[v.name]);
      const abs = tf.concat(present.filter((v) => weights.has(v.name)).map((v) => tf.abs(grads[v.name]).flatten()));
      const sq = tf.addN(present.map((v) => tf.sum(tf.square(grads[v.name]))));
      const [mx, mean, ss] = tf.stack([tf.max(abs), tf.mean(abs), sq]).dataSync();
      return { max: mx, mean, norm: Math.sqrt(ss) };
    });
  });
  return out;
}

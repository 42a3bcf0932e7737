/**
 * Residual-based adaptive refinement (RAR; Lu, Meng, Mao & Karniadakis 2021, DeepXDE):
 * score random candidate points by |residual| and add the worst ones to the collocation set.
 */
import { tf, type Rng } from '@aml/core';
import type { RefinementConfig } from './config';
import { pointsTensor } from './fields';
import { equationResiduals, type TrainingPoints } from './loss';
import type { PinnModel } from './model';

/** Add up to `config.add` points; returns how many were added. */
export function refineCollocation(
  model: PinnModel,
  points: TrainingPoints,
  config: RefinementConfig,
  rng: Rng,
): number {
  const geometry = model.problem.geometry;
  const d = geometry.dim;
  const now = points.collocation.shape[0];
  const room = config.maxPoints === undefined ? config.add : Math.min(config.add, config.maxPoints - now);
  if (room <= 0) return 0;
  const nCand = config.candidates ?? 10 * config.add;
  const cand = geometry.sampleInterior(nCand, rng, 'uniform');
  const score = tf.tidy(() => {
    const x = pointsTensor(cand, d);
    const res = equationResiduals(model, x).flat();
    return res
      .map((r) => tf.abs(r))
      .reduce((a, b) => tf.add(a, b))
      .dataSync(); // (nCand)
  });
  const order = Array.from(score.keys())
    .sort((a, b) => score[b] - score[a])
    .slice(0, room);
  const added = new Float64Array(order.length * d);
  order.forEach((k, i) => added.set(cand.subarray(k * d, (k + 1) * d), i * d));
  const old = points.collocation;
  points.collocation = tf.tidy(() => tf.concat([old, pointsTensor(added, d)], 0));
  old.dispose();
  return order.length;
}

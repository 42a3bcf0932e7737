/**
 * The PINN loss: mean squared residual of each equation on the collocation points and of
 * each condition on its points, weighted. Points are held as tensors (kept across steps);
 * refinement swaps the collocation tensor.
 */
import { tf, type Rng } from '@aml/core';
import type { BoundCondition } from '../conditions/condition';
import type { Problem } from '../problems/problem';
import type { SamplerName } from '../sampling/samplers';
import type { CausalWeighting } from '../training/causal';
import { computeFields, pointsTensor } from './fields';
import type { PinnModel } from './model';

/** A condition with its sampled points as tensors. */
export interface ConditionBatch {
  readonly condition: BoundCondition;
  readonly x: tf.Tensor2D; // (N, d)
  readonly normals?: tf.Tensor2D; // (N, d)
  readonly data?: tf.Tensor2D; // (N, k)
}

/** The training points of a run (kept tensors; dispose at the end). */
export interface TrainingPoints {
  /** Interior collocation points (N, d); replaced by refinement. */
  collocation: tf.Tensor2D;
  readonly conditions: readonly ConditionBatch[];
}

/** Term names: 'pde' (or 'pde0', 'pde1', ... for systems), then the conditions' labels (made unique). */
export function termNames(problem: Problem): string[] {
  const eqNames = problem.equations.length === 1 ? ['pde'] : problem.equations.map((_, i) => `pde${i}`);
  const seen = new Set<string>(eqNames);
  const condNames = problem.conditions.map((c) => {
    let name = c.label;
    for (let k = 2; seen.has(name); k++) name = `${c.label} #${k}`;
    seen.add(name);
    return name;
  });
  return [...eqNames, ...condNames];
}

/** Sample every point set once. */
export function samplePoints(
  problem: Problem,
  counts: { domain: number; boundary: number; initial: number },
  sampler: SamplerName,
  rng: Rng,
): TrainingPoints {
  const d = problem.geometry.dim;
  const collocation = pointsTensor(problem.geometry.sampleInterior(counts.domain, rng, sampler), d);
  const conditions = problem.conditions.map((c) => {
    const n = c.defaultPoints ?? (c.label.startsWith('initial') ? counts.initial : counts.boundary);
    const s = c.sample(n, rng, sampler);
    return {
      condition: c,
      x: pointsTensor(s.x, d),
      normals: s.normals ? pointsTensor(s.normals, d) : undefined,
      data: s.data ? pointsTensor(s.data, s.dataColumns ?? 1) : undefined,
    };
  });
  return { collocation, conditions };
}

export function disposePoints(p: TrainingPoints): void {
  p.collocation.dispose();
  for (const c of p.conditions) tf.dispose([c.x, c.normals, c.data].filter((t): t is tf.Tensor2D => t !== undefined));
}

/** Residuals of each equation at x (a list of (N, 1) per equation). */
export function equationResiduals(model: PinnModel, x: tf.Tensor2D): tf.Tensor[][] {
  const p = model.problem;
  const symbols = [...new Set(p.equations.flatMap((e) => e.symbols))];
  const fields = computeFields(model.net, model.engine, x, symbols, p.names, p.constraint, undefined, model.scaling);
  return p.equations.map((e) => e.evaluate(fields, model.params));
}

const meanSquares = (ts: tf.Tensor[]) =>
  ts.map((t) => tf.mean(tf.square(t))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;

function conditionLoss(model: PinnModel, c: ConditionBatch): tf.Scalar {
  const p = model.problem;
  const fields = computeFields(
    model.net,
    model.engine,
    c.x,
    c.condition.symbols,
    p.names,
    p.constraint,
    c.normals,
    model.scaling,
  );
  return meanSquares(c.condition.residual(fields, model.params, c.data));
}

/** Each term's unweighted loss (scalar tensors), in `termNames` order. */
export function termLosses(model: PinnModel, points: TrainingPoints): tf.Scalar[] {
  const eqTerms = equationResiduals(model, points.collocation).map(meanSquares);
  return [...eqTerms, ...points.conditions.map((c) => conditionLoss(model, c))];
}

/** Term i's unweighted loss alone (for per-term gradients). */
export function termLoss(model: PinnModel, points: TrainingPoints, i: number): tf.Scalar {
  const nEq = model.problem.equations.length;
  if (i < nEq) return meanSquares(equationResiduals(model, points.collocation)[i]);
  return conditionLoss(model, points.conditions[i - nEq]);
}

/** Each equation's squared residual (N, 1), summed over its components. */
function squaredResiduals(model: PinnModel, x: tf.Tensor2D): tf.Tensor[] {
  return equationResiduals(model, x).map((rs) => rs.map((r) => tf.square(r)).reduce((a, b) => tf.add(a, b)));
}

/**
 * The terms as trained (`objective`) and as recorded (`report`), in `termNames` order. With causal
 * weighting (collocation rows sorted by time) the equations' objective is the causally weighted loss
 * and the report their plain mean square; otherwise both are `termLosses`.
 * @param reuseCausal keep the causal weights of the last evaluation (per-term gradients)
 */
export function trainingTermLosses(
  model: PinnModel,
  points: TrainingPoints,
  causal?: CausalWeighting,
  reuseCausal = false,
): { objective: tf.Scalar[]; report: tf.Scalar[] } {
  if (!causal) {
    const t = termLosses(model, points);
    return { objective: t, report: t };
  }
  const { weighted, plain } = causal.loss(squaredResiduals(model, points.collocation), reuseCausal);
  const conds = points.conditions.map((c) => conditionLoss(model, c));
  return { objective: [...weighted, ...conds], report: [...plain, ...conds] };
}

/** Term i as trained (causally weighted for equations when `causal`, with its last weights). */
export function trainingTermLoss(
  model: PinnModel,
  points: TrainingPoints,
  i: number,
  causal?: CausalWeighting,
): tf.Scalar {
  const nEq = model.problem.equations.length;
  if (!causal || i >= nEq) return termLoss(model, points, i);
  return causal.loss(squaredResiduals(model, points.collocation), true).weighted[i];
}

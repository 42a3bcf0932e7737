/**
 * Training a PINN: Adam then (optionally) L-BFGS through @aml/core's trainer, with loss
 * weighting, residual-based refinement, checkpoints, progress and the per-term history.
 *
 * @example
 *   const problem = definePde({ geometry: timeDomain(interval(0, 1), 0, 1), equation: 'u_t - u_xx',
 *     conditions: [initial('sin(pi*x)'), dirichlet('0')] });
 *   const { model, history } = await solve(problem, { network: { hidden: [20, 20, 20] }, adam: { steps: 2000 }, lbfgs: { steps: 500 } });
 *   const u = model.predict([[0.5, 0.1]]);
 */
import { adam, lbfgs, Rng, tf, train, type Callback, type History } from '@aml/core';
import type { Problem } from '../problems/problem';
import { createWeighting } from '../weighting/weighting';
import type { SolverConfig } from './config';
import { disposePoints, samplePoints, termLoss, termLosses, termNames, type TrainingPoints } from './loss';
import { createModel, type PinnModel } from './model';
import { refineCollocation } from './refine';

/** What a run recorded. */
export interface SolveHistory {
  /** Total weighted loss per step (Adam then L-BFGS). */
  readonly loss: number[];
  /** Each term's unweighted loss per step. */
  readonly terms: Record<string, number[]>;
  /** Each term's weight per Adam step (constant in the L-BFGS phase). */
  readonly weights: Record<string, number[]>;
  /** Trainable coefficients per step (inverse problems). */
  readonly coefficients: Record<string, number[]>;
  /** Phases run: name, steps, why they stopped, wall time. */
  readonly phases: { name: string; steps: number; stopReason: string; seconds: number }[];
  /** Interior point count after each refinement. */
  readonly collocationPoints: number[];
}

export interface SolveResult {
  readonly model: PinnModel;
  readonly history: SolveHistory;
  /** Wall time of training, seconds. */
  readonly seconds: number;
}

function positiveInt(v: number | undefined, field: string): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`solver: ${field} must be a non-negative integer, got ${v}`);
}

/** Check the solver config before anything is built. */
export function validateSolverConfig(config: SolverConfig): void {
  if (!config.network || !Array.isArray(config.network.hidden)) throw new Error('solver: network.hidden (list of hidden widths) is required');
  config.network.hidden.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1) throw new Error(`solver: network.hidden[${i}] must be a positive integer, got ${w}`);
  });
  const p = config.points ?? {};
  for (const k of ['domain', 'boundary', 'initial'] as const) {
    const v = p[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`solver: points.${k} must be a positive integer, got ${v}`);
  }
  positiveInt(config.adam?.steps, 'adam.steps');
  positiveInt(config.lbfgs?.steps, 'lbfgs.steps');
  if (config.adam?.learningRate !== undefined && !(config.adam.learningRate > 0)) throw new Error(`solver: adam.learningRate must be > 0, got ${config.adam.learningRate}`);
  if (config.refinement) {
    const r = config.refinement;
    if (!Number.isInteger(r.every) || r.every < 1) throw new Error(`solver: refinement.every must be a positive integer, got ${r.every}`);
    if (!Number.isInteger(r.add) || r.add < 1) throw new Error(`solver: refinement.add must be a positive integer, got ${r.add}`);
  }
}

/** Per-term max and mean |∇θ L_term| over the network's weights (for learning-rate annealing). */
function gradientStats(model: PinnModel, points: TrainingPoints, names: readonly string[]): Record<string, { max: number; mean: number }> {
  const vars = model.net.weights.map((w) => w);
  const out: Record<string, { max: number; mean: number }> = {};
  names.forEach((name, i) => {
    const [mx, mean] = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => termLoss(model, points, i), vars);
      value.dispose();
      const g = vars.map((v) => tf.abs(grads[v.name]).flatten());
      const all = tf.concat(g);
      return [tf.max(all).dataSync()[0], tf.mean(all).dataSync()[0]];
    });
    out[name] = { max: mx, mean };
  });
  return out;
}

function appendHistory(dst: SolveHistory, h: History): void {
  dst.loss.push(...h.loss.slice(h.startStep));
  for (const [k, v] of Object.entries(h.terms)) (dst.terms[k] ??= []).push(...v.slice(h.startStep));
}

/**
 * Train a PINN for `problem`. Everything random (weights, points, weighting) follows `config.seed`.
 */
export async function solve(problem: Problem, config: SolverConfig): Promise<SolveResult> {
  validateSolverConfig(config);
  const rng = new Rng(config.seed ?? 0);
  const model = createModel(problem, config, rng.fork());
  const pointsCfg = config.points ?? {};
  const counts = { domain: pointsCfg.domain ?? 2000, boundary: pointsCfg.boundary ?? 200, initial: pointsCfg.initial ?? 200 };
  const points = samplePoints(problem, counts, pointsCfg.sampler ?? 'lhs', rng.fork());
  const names = termNames(problem);
  const base = Object.fromEntries(problem.conditions.map((c, i) => [names[problem.equations.length === 1 ? i + 1 : problem.equations.length + i], c.weight ?? 1]));
  const weighting = createWeighting(config.weighting, names, rng.fork(), base);
  const history: SolveHistory = { loss: [], terms: {}, weights: weighting.history, coefficients: {}, phases: [], collocationPoints: [points.collocation.shape[0]] };
  const trainable = Object.keys(problem.parameters).filter((k) => problem.parameters[k].trainable);
  for (const k of trainable) history.coefficients[k] = [];
  const vars = model.variables();

  const loss = () => {
    const losses = termLosses(model, points);
    let total: tf.Scalar | null = null;
    losses.forEach((l, i) => {
      const w = weighting.weights[names[i]];
      if (w === 0) return;
      const term = w === 1 ? l : (tf.mul(w, l) as tf.Scalar);
      total = total ? (tf.add(total, term) as tf.Scalar) : term;
    });
    return { loss: total ?? (tf.scalar(0) as tf.Scalar), terms: Object.fromEntries(names.map((n, i) => [n, losses[i]])) };
  };
  const trackCoefficients: Callback = {
    onStepEnd: () => {
      if (trainable.length) {
        const c = model.coefficients();
        for (const k of trainable) history.coefficients[k].push(c[k]);
      }
    },
  };
  const t0 = performance.now();
  try {
    const adamSteps = config.adam?.steps ?? 0;
    if (adamSteps > 0) {
      const lr0 = config.adam?.learningRate ?? 1e-3;
      const decay = config.adam?.decay;
      const phaseRng = rng.fork();
      const adaptive: Callback = {
        onStepEnd: (info) => {
          const stats = weighting.needsGradients(info.step) ? gradientStats(model, points, names) : undefined;
          weighting.update(info.step, info.terms, stats);
          const r = config.refinement;
          if (r && info.step > 0 && info.step % r.every === 0 && info.step < adamSteps - 1) {
            refineCollocation(model, points, r, phaseRng);
            history.collocationPoints.push(points.collocation.shape[0]);
          }
        },
      };
      const start = performance.now();
      const opt = adam({ learningRate: lr0 });
      const h = await train({
        params: vars,
        optimizer: opt,
        loss,
        steps: adamSteps,
        rng: phaseRng,
        schedule: decay ? (step: number) => lr0 * decay.rate ** Math.floor(step / decay.every) : undefined,
        callbacks: [adaptive, trackCoefficients, ...(config.callbacks ?? [])],
        progress: config.progress ?? 'none',
        checkpoint: config.checkpoint,
        resumeFrom: config.resumeFrom,
      });
      opt.dispose();
      appendHistory(history, h);
      history.phases.push({ name: 'adam', steps: h.steps - h.startStep, stopReason: h.stopReason, seconds: (performance.now() - start) / 1000 });
    }
    const lbfgsSteps = config.lbfgs?.steps ?? 0;
    if (lbfgsSteps > 0) {
      const start = performance.now();
      const opt = lbfgs({});
      const h = await train({
        params: vars,
        optimizer: opt,
        loss,
        steps: lbfgsSteps,
        rng: rng.fork(),
        callbacks: [trackCoefficients, ...(config.callbacks ?? [])],
        progress: config.progress ?? 'none',
      });
      opt.dispose();
      appendHistory(history, h);
      history.phases.push({ name: 'lbfgs', steps: h.steps - h.startStep, stopReason: h.stopReason, seconds: (performance.now() - start) / 1000 });
    }
  } finally {
    disposePoints(points);
  }
  return { model, history, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Training a PINN: Adam then (optionally) L-BFGS through @aml/core's trainer, with loss
 * weighting (fixed, ReLoBRaLo, learning-rate annealing, gradient norms), causal weighting,
 * refinement and resampling of the residual points, warm-up and decay of the learning rate,
 * checkpoints that hold the whole run's state, progress and the per-term history.
 *
 * @example
 *   const problem = definePde({ geometry: timeDomain(interval(0, 1), 0, 1), equation: 'u_t - u_xx',
 *     conditions: [initial('sin(pi*x)'), dirichlet('0')] });
 *   const { model, history } = await solve(problem, { network: { hidden: [20, 20, 20] }, adam: { steps: 2000 }, lbfgs: { steps: 500 } });
 *   const u = model.predict([[0.5, 0.1]]);
 */
import {
  adam,
  check,
  lbfgs,
  learningRate,
  nonNegativeInt,
  positiveInt,
  positiveNumber,
  requireNode,
  Rng,
  train,
  warmupDecay,
  type History,
  type Schedule,
} from '@aml/core';
import type { Problem } from '../problems/problem';
import { checkCausalConfig } from '../training/causal';
import { copyVariables, solveMarching } from '../training/marching';
import { checkResampleConfig } from '../training/resample';
import { TrainingSession, type SolveHistory, type SolverPhase } from '../training/session';
import type { SolverConfig } from './config';
import { disposePoints } from './loss';
import { checkNetworkConfig, createModel, type PinnModel } from './model';

export interface SolveResult {
  readonly model: PinnModel;
  readonly history: SolveHistory;
  /** Wall time of training, seconds. */
  readonly seconds: number;
}

/** Check the solver config before anything is built. */
export function validateSolverConfig(config: SolverConfig): void {
  checkNetworkConfig(config.network);
  const p = config.points ?? {};
  for (const k of ['domain', 'boundary', 'initial'] as const)
    check(positiveInt().optional(), p[k], `solver: points.${k}`);
  check(nonNegativeInt().optional(), config.adam?.steps, 'solver: adam.steps');
  check(nonNegativeInt().optional(), config.lbfgs?.steps, 'solver: lbfgs.steps');
  check(learningRate().optional(), config.adam?.learningRate, 'solver: adam.learningRate');
  if (config.refinement) {
    check(positiveInt(), config.refinement.every, 'solver: refinement.every');
    check(positiveInt(), config.refinement.add, 'solver: refinement.add');
  }
  check(nonNegativeInt().optional(), config.adam?.warmup, 'solver: adam.warmup');
  const d = config.adam?.decay;
  if (d) {
    check(positiveNumber(), d.rate, 'solver: adam.decay.rate');
    check(positiveInt(), d.every, 'solver: adam.decay.every');
  }
  if (config.causal) checkCausalConfig(config.causal);
  if (config.resample) checkResampleConfig(config.resample);
}

/** The Adam phase's learning rate per step: core's warm-up + decay, or none (constant). */
function adamSchedule(config: SolverConfig): Schedule | undefined {
  const a = config.adam;
  if (!a?.decay && !a?.warmup) return undefined;
  const d = a.decay;
  return warmupDecay({
    initial: a.learningRate ?? 1e-3,
    warmup: a.warmup ?? 0,
    rate: d?.rate ?? 1,
    every: d?.every ?? 1,
    staircase: d?.staircase ?? true,
  });
}

/** Append a phase's trainer history (from step 0: a resumed phase's history holds the steps before the checkpoint). */
function appendHistory(dst: SolveHistory, h: History): void {
  // Loops, not push(...list): a long history (over ~125,000 steps) would overflow the call stack.
  for (let i = 0; i < h.loss.length; i++) {
    dst.loss.push(h.loss[i]);
    dst.learningRate.push(h.learningRate[i]);
  }
  for (const [k, v] of Object.entries(h.terms)) {
    const d = (dst.terms[k] ??= []);
    for (let i = 0; i < v.length; i++) d.push(v[i]);
  }
}

/**
 * Train a PINN for `problem`. Everything random (weights, points, weighting) follows `config.seed`.
 */
export async function solve(problem: Problem, config: SolverConfig): Promise<SolveResult> {
  validateSolverConfig(config);
  if (config.marching) {
    const t = performance.now();
    const r = await solveMarching(problem, config, solve);
    return { model: r.model, history: r.history, seconds: (performance.now() - t) / 1000 };
  }
  const rng = new Rng(config.seed ?? 0);
  const model = createModel(problem, config, rng.fork());
  if (config.warmStart) copyVariables(config.warmStart, model);
  const pointsRng = rng.fork();
  const weightingRng = rng.fork();
  const adamSteps = config.adam?.steps ?? 0;
  const lbfgsSteps = config.lbfgs?.steps ?? 0;
  // Forked in this order, always, so runs without resampling keep the streams they always had and the
  // sampling stream does not depend on the phases' step counts.
  const adamRng = rng.fork();
  const lbfgsRng = rng.fork();
  const session = new TrainingSession(problem, config, model, {
    points: pointsRng,
    weighting: weightingRng,
    sampling: rng.fork(),
  });
  const { history } = session;
  let phase: SolverPhase | null = null;
  let ended: { step: number; reason: string } | undefined; // the checkpoint's phase had stopped early (early stopping, L-BFGS converged)
  if (config.resumeFrom) {
    const files = requireNode('solver: resumeFrom'); // checkpoint folders: Node only
    const ckpt = files.loadCheckpoint(config.resumeFrom);
    phase = session.setState(files.checkpointExtra(ckpt));
    const h = ckpt.manifest.history;
    if (phase && h && (h.stoppedBy === 'callback' || h.stoppedBy === 'optimizer'))
      ended = { step: ckpt.manifest.step, reason: h.stopReason };
  }
  // A phase that had ended resumes with its own step count: it restores and records, and trains no further.
  const stepsOf = (p: SolverPhase, steps: number) => (phase === p && ended ? ended.step : steps);
  const reasonOf = (p: SolverPhase, h: History) => (phase === p && ended ? ended.reason : h.stopReason);
  const common = {
    params: model.variables(),
    loss: session.loss,
    progress: config.progress ?? 'none',
    signal: config.signal,
  } as const;
  const checkpoint = (p: SolverPhase, adopt?: boolean) =>
    config.checkpoint
      ? { ...config.checkpoint, state: () => session.getState(p), ...(adopt ? { adopt } : {}) }
      : undefined;
  const t0 = performance.now();
  try {
    if (adamSteps > 0 && phase !== 'lbfgs') {
      const start = performance.now();
      const opt = adam({ learningRate: config.adam?.learningRate ?? 1e-3 });
      const h = await train({
        ...common,
        optimizer: opt,
        steps: stepsOf('adam', adamSteps),
        rng: adamRng,
        schedule: adamSchedule(config),
        callbacks: [session.adamCallback(adamSteps, adamRng), session.coefficientCallback, ...(config.callbacks ?? [])],
        checkpoint: checkpoint('adam'),
        resumeFrom: config.resumeFrom,
      });
      opt.dispose();
      appendHistory(history, h);
      history.phases.push({
        name: 'adam',
        steps: h.steps - h.startStep,
        stopReason: reasonOf('adam', h),
        seconds: (performance.now() - start) / 1000,
      });
    }
    if (lbfgsSteps > 0 && !config.signal?.aborted) {
      const start = performance.now();
      const opt = lbfgs({});
      if (session.causal) session.causal.frozen = true; // one loss function for the line searches
      const h = await train({
        ...common,
        optimizer: opt,
        steps: stepsOf('lbfgs', lbfgsSteps),
        rng: lbfgsRng,
        callbacks: [session.coefficientCallback, ...(config.callbacks ?? [])],
        checkpoint: checkpoint('lbfgs', adamSteps > 0 || config.resumeFrom !== undefined),
        resumeFrom: phase === 'lbfgs' ? config.resumeFrom : undefined,
      });
      opt.dispose();
      appendHistory(history, h);
      history.phases.push({
        name: 'lbfgs',
        steps: h.steps - h.startStep,
        stopReason: reasonOf('lbfgs', h),
        seconds: (performance.now() - start) / 1000,
      });
    }
  } finally {
    disposePoints(session.points);
  }
  return { model, history, seconds: (performance.now() - t0) / 1000 };
}

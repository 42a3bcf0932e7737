/**
 * The state of one `solve()` run besides the network and its optimizers: training points,
 * loss weights (adaptive and causal), the generators that resample, and the history. It builds
 * the loss, the per-step adaptation of the Adam phase, and the checkpoint state that lets a
 * resumed run repeat the uninterrupted one exactly.
 */
import { tf, type Callback, type Rng, type RngState, type RunState, type StepEndInfo } from '@aml/core';
import type { Problem } from '../problems/problem';
import type { SolverConfig } from '../solver/config';
import { samplePoints, termNames, trainingTermLosses, type TrainingPoints } from '../solver/loss';
import type { PinnModel } from '../solver/model';
import { refineCollocation } from '../solver/refine';
import { createWeighting, type Weighting, type WeightingState } from '../weighting/weighting';
import { CausalWeighting, sortByAxis, type CausalState } from './causal';
import { gradientStats } from './gradients';
import { resampleCollocation, type CausalContext } from './resample';

/** A change of the residual point set: after which Adam step, how, and the count after it. */
export interface SamplingEvent {
  readonly step: number;
  /** 'rar' (refinement added points), 'uniform' or 'rad' (the set was replaced). */
  readonly method: 'rar' | 'uniform' | 'rad';
  readonly points: number;
}

/** What a run recorded. */
export interface SolveHistory {
  /** Total weighted loss per step (Adam then L-BFGS). */
  readonly loss: number[];
  /** Each term's unweighted loss per step (with causal weighting: the plain mean square residual). */
  readonly terms: Record<string, number[]>;
  /** Each term's weight per Adam step (constant in the L-BFGS phase). */
  readonly weights: Record<string, number[]>;
  /** Trainable coefficients per step (inverse problems). */
  readonly coefficients: Record<string, number[]>;
  /** Phases run: name, steps, why they stopped, wall time. */
  readonly phases: { name: string; steps: number; stopReason: string; seconds: number }[];
  /** Interior point count at the start and after each refinement. */
  readonly collocationPoints: number[];
  /** Every change of the residual points (refinement, resampling). */
  readonly sampling: SamplingEvent[];
  /** Learning rate per step (in the L-BFGS phase: its first trial step scale, 1). */
  readonly learningRate: number[];
  /** With causal weighting, per Adam step: the smallest causal weight (convergence diagnostic) and ε. */
  readonly causal?: { readonly minWeight: number[]; readonly epsilon: number[] };
  /** With time-marching: each window's time range and its steps, in order. */
  readonly windows?: { readonly t0: number; readonly t1: number; readonly steps: number }[];
}

/** The phase a checkpoint was written in. */
export type SolverPhase = 'adam' | 'lbfgs';

/** What a solver checkpoint stores beside weights and optimizer state. */
interface SolverStateData {
  readonly kind: 'pinn-solver';
  readonly phase: SolverPhase;
  readonly history: Omit<SolveHistory, 'weights'>;
  readonly weighting: WeightingState;
  readonly causal: CausalState | null;
  readonly rngs: Record<string, RngState>;
}

/** Index of the time coordinate, or an error naming what causal weighting needs. */
function timeAxis(problem: Problem): number {
  const g = problem.geometry as { timeName?: string; names: readonly string[] };
  const i = g.names.indexOf(g.timeName ?? 't');
  if (i < 0)
    throw new Error(
      `solver: causal needs a time-dependent problem (a time axis named t); this one has inputs ${g.names.join(', ')}`,
    );
  return i;
}

/** The run's points, weights, generators and history, and what the trainer needs from them. */
export class TrainingSession {
  readonly names: string[];
  readonly points: TrainingPoints;
  readonly weighting: Weighting;
  readonly causal?: CausalWeighting;
  readonly history: SolveHistory;
  private readonly time: number;
  private readonly trainable: string[];

  /**
   * @param rngs `points` and `weighting` are used at once; `sampling` for resampling; `refine` for refinement
   *             (the Adam phase's trainer generator, restored by the trainer itself)
   */
  constructor(
    readonly problem: Problem,
    readonly config: SolverConfig,
    readonly model: PinnModel,
    private readonly rngs: { points: Rng; weighting: Rng; sampling: Rng },
  ) {
    const pc = config.points ?? {};
    const counts = { domain: pc.domain ?? 2000, boundary: pc.boundary ?? 200, initial: pc.initial ?? 200 };
    this.points = samplePoints(problem, counts, pc.sampler ?? 'lhs', rngs.points);
    this.names = termNames(problem);
    const nEq = problem.equations.length;
    const base = Object.fromEntries(problem.conditions.map((c, i) => [this.names[nEq + i], c.weight ?? 1]));
    this.weighting = createWeighting(config.weighting, this.names, rngs.weighting, base);
    this.time = config.causal ? timeAxis(problem) : -1;
    if (config.causal) {
      this.causal = new CausalWeighting(config.causal);
      this.sortPoints();
    }
    this.trainable = Object.keys(problem.parameters).filter((k) => problem.parameters[k].trainable);
    this.history = {
      loss: [],
      terms: {},
      weights: this.weighting.history,
      coefficients: Object.fromEntries(this.trainable.map((k) => [k, []])),
      phases: [],
      collocationPoints: [this.points.collocation.shape[0]],
      sampling: [],
      learningRate: [],
      ...(this.causal ? { causal: { minWeight: [], epsilon: [] } } : {}),
    };
  }

  /** Causal weighting reads chunks as consecutive rows: keep the residual points sorted by time. */
  private sortPoints(): void {
    if (!this.causal) return;
    const old = this.points.collocation;
    this.points.collocation = sortByAxis(old, this.time);
    old.dispose();
  }

  /** The loss for the trainer: Σ λ_i L_i (causally weighted equations), terms as recorded. */
  readonly loss = () => {
    const { objective, report } = trainingTermLosses(this.model, this.points, this.causal);
    let total: tf.Scalar | null = null;
    objective.forEach((l, i) => {
      const w = this.weighting.weights[this.names[i]];
      if (w === 0) return;
      const term = w === 1 ? l : (tf.mul(w, l) as tf.Scalar);
      total = total ? (tf.add(total, term) as tf.Scalar) : term;
    });
    return {
      loss: total ?? (tf.scalar(0) as tf.Scalar),
      terms: Object.fromEntries(this.names.map((n, i) => [n, report[i]])),
    };
  };

  /** Records the trainable coefficients after every step (both phases). */
  readonly coefficientCallback: Callback = {
    onStepEnd: () => {
      if (!this.trainable.length) return;
      const c = this.model.coefficients();
      for (const k of this.trainable) this.history.coefficients[k].push(c[k]);
    },
  };

  /** After each Adam step: causal record and ε annealing, adaptive weights, refinement, resampling. */
  adamCallback(adamSteps: number, refineRng: Rng): Callback {
    return { onStepEnd: (info) => this.afterAdamStep(info, adamSteps, refineRng) };
  }

  private afterAdamStep(info: StepEndInfo, adamSteps: number, refineRng: Rng): void {
    const { step } = info;
    if (this.causal && this.history.causal) {
      this.history.causal.minWeight.push(this.causal.minWeight);
      this.history.causal.epsilon.push(this.causal.epsilon);
      this.causal.anneal();
    }
    const stats = this.weighting.needsGradients(step)
      ? gradientStats(this.model, this.points, this.names, this.causal)
      : undefined;
    this.weighting.update(step, info.terms, stats);
    const last = step >= adamSteps - 1;
    const r = this.config.refinement;
    if (r && step > 0 && step % r.every === 0 && !last) {
      refineCollocation(this.model, this.points, r, refineRng);
      this.sortPoints();
      const n = this.points.collocation.shape[0];
      this.history.collocationPoints.push(n);
      this.history.sampling.push({ step, method: 'rar', points: n });
    }
    const rs = this.config.resample;
    if (rs && (step + 1) % rs.every === 0 && !last) {
      const n = resampleCollocation(this.model, this.points, rs, this.rngs.sampling, this.causalContext());
      this.sortPoints();
      this.history.sampling.push({ step, method: rs.method ?? 'uniform', points: n });
    }
  }

  /** The causal weights with the times of the (sorted) residual points, for RAD; undefined without causal weighting. */
  private causalContext(): CausalContext | undefined {
    const w = this.causal?.weights;
    if (!w) return undefined;
    const [n, d] = this.points.collocation.shape;
    const x = this.points.collocation.dataSync();
    return {
      axis: this.time,
      weights: w,
      sortedTimes: Float64Array.from({ length: n }, (_, i) => x[i * d + this.time]),
    };
  }

  /** Everything needed to continue the run exactly, for the checkpoint written in `phase`. */
  getState(phase: SolverPhase): RunState {
    const { weights: _w, ...history } = this.history;
    const data: SolverStateData = {
      kind: 'pinn-solver',
      phase,
      history,
      weighting: this.weighting.getState(),
      causal: this.causal?.getState() ?? null,
      rngs: { weighting: this.rngs.weighting.getState(), sampling: this.rngs.sampling.getState() },
    };
    const c = this.points.collocation;
    return {
      data: JSON.parse(JSON.stringify(data)),
      arrays: { collocation: { shape: [...c.shape], data: c.dataSync() as Float32Array } },
    };
  }

  /**
   * Restore a checkpoint's state; returns its phase, or null when the checkpoint holds no solver
   * state (written by an older version or by `train` directly: only weights and optimizer resume).
   */
  setState(state: RunState | null): SolverPhase | null {
    const data = state?.data as SolverStateData | undefined;
    if (!state || data?.kind !== 'pinn-solver') return null;
    const h = this.history as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(data.history)) h[k] = v;
    this.weighting.setState(data.weighting);
    if (this.causal && data.causal) this.causal.setState(data.causal);
    this.rngs.weighting.setState(data.rngs.weighting);
    this.rngs.sampling.setState(data.rngs.sampling);
    const pts = state.arrays?.collocation;
    if (pts) {
      this.points.collocation.dispose();
      this.points.collocation = tf.tensor2d(pts.data, [pts.shape[0], pts.shape[1]]);
    }
    return data.phase;
  }
}

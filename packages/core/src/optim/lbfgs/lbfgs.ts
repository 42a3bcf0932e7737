/**
 * L-BFGS over any list of tf.Variables: `run` for a whole L-BFGS phase, or as an `Optimizer`
 * (one iteration per `minimize`) inside the trainer.
 */
import { z } from 'zod';
import { tf } from '../../tf';
import type { Optimizer, OptimizerState } from '../optimizer';
import { learningRateSchema, parseConfig } from '../parse-config';
import { halfOpenUnit, nonNegativeNumber, positiveInt, positiveNumber } from '../../validation/atoms';
import { assignFlat, flatObjective, flattenVars, lossAndFlatGrad } from './flat';
import { DEFAULT_LINE_SEARCH } from './line-search';
import { LbfgsMemory } from './memory';
import {
  DEFAULT_LBFGS,
  lbfgsIteration,
  maxAbs,
  minimizeLbfgs,
  type LbfgsOptions,
  type LbfgsResult,
  type Objective,
} from './minimize';

/** L-BFGS settings. */
export interface LbfgsConfig {
  /** Scale of the first trial step of each line search (default 1: the quasi-Newton step). */
  readonly learningRate?: number;
  /** Curvature pairs kept, m (default 10). */
  readonly memory?: number;
  /** Most iterations of `run` (default 500). */
  readonly maxIterations?: number;
  /** Most loss+gradient evaluations of `run` (default unlimited). */
  readonly maxFunctionEvals?: number;
  /** Stop when max|g| <= gradTol (default 1e-8). */
  readonly gradTol?: number;
  /** Stop when the loss change <= fTol * max(|f|, 1) (default 1e-12). */
  readonly fTol?: number;
  /**
   * Line-search constants: 0 < c1 < c2 < 1 (defaults 1e-4, 0.9), evaluations per search (default 25),
   * relative loss noise for the approximate-Wolfe test (default 1e-4, for float32 losses; 0 = exact strong Wolfe).
   */
  readonly lineSearch?: {
    readonly c1?: number;
    readonly c2?: number;
    readonly maxEvals?: number;
    readonly fNoise?: number;
  };
}

export const lbfgsConfigSchema = z.strictObject({
  learningRate: learningRateSchema.default(1),
  memory: positiveInt('memory').default(DEFAULT_LBFGS.memory),
  maxIterations: positiveInt('maxIterations').default(DEFAULT_LBFGS.maxIterations),
  maxFunctionEvals: positiveInt('maxFunctionEvals').optional(), // absent: unlimited
  gradTol: nonNegativeNumber('gradTol').default(DEFAULT_LBFGS.gradTol),
  fTol: nonNegativeNumber('fTol').default(DEFAULT_LBFGS.fTol),
  lineSearch: z
    .strictObject({
      c1: positiveNumber('lineSearch.c1').default(DEFAULT_LINE_SEARCH.c1),
      c2: positiveNumber('lineSearch.c2').default(DEFAULT_LINE_SEARCH.c2),
      maxEvals: positiveInt('lineSearch.maxEvals').default(DEFAULT_LINE_SEARCH.maxEvals),
      fNoise: halfOpenUnit('lineSearch.fNoise').default(DEFAULT_LINE_SEARCH.fNoise),
    })
    .refine((l) => l.c1 < l.c2 && l.c2 < 1, { error: 'lineSearch needs 0 < c1 < c2 < 1' })
    .default({
      c1: DEFAULT_LINE_SEARCH.c1,
      c2: DEFAULT_LINE_SEARCH.c2,
      maxEvals: DEFAULT_LINE_SEARCH.maxEvals,
      fNoise: DEFAULT_LINE_SEARCH.fNoise,
    }),
});

/** L-BFGS optimizer; build it with `lbfgs(config)`. */
export class Lbfgs implements Optimizer {
  readonly name = 'lbfgs';
  learningRate: number;
  private readonly options: LbfgsOptions;
  private readonly memory: LbfgsMemory;
  private step = 0;
  private stop: string | null = null;
  /** The point the last iteration accepted (float32-rounded, as the variables hold it) with its loss and gradient. */
  private cache: { x: Float64Array; f: number; g: Float64Array } | null = null;
  /** Evaluations so far: `full` loss+gradient, `forward` loss only (cache checks). */
  readonly evaluations = { full: 0, forward: 0 };

  constructor(config: LbfgsConfig = {}) {
    const c = parseConfig(lbfgsConfigSchema, config, 'lbfgs');
    this.learningRate = c.learningRate;
    this.options = {
      memory: c.memory,
      maxIterations: c.maxIterations,
      maxFunctionEvals: c.maxFunctionEvals ?? Infinity,
      gradTol: c.gradTol,
      fTol: c.fTol,
      initialStep: c.learningRate,
      lineSearch: { ...DEFAULT_LINE_SEARCH, ...c.lineSearch },
    };
    this.memory = new LbfgsMemory(c.memory);
  }

  /**
   * Run L-BFGS on `loss` over `vars` until a stopping criterion holds; the variables end at the best
   * accepted iterate. Starts from a fresh curvature memory.
   *
   * @example
   *   const r = lbfgs({ maxIterations: 5000 }).run(() => pinnLoss(), params);
   *   console.log(r.reason); // e.g. "loss change 8.1e-13 <= fTol 1e-12 x max(|f|, 1) at iteration 4211 (loss 2.31e-06)"
   */
  run(
    loss: () => tf.Scalar,
    vars: readonly tf.Variable[],
    overrides: Partial<Omit<LbfgsOptions, 'lineSearch'>> = {},
  ): LbfgsResult {
    const r = minimizeLbfgs(flatObjective(loss, vars), flattenVars(vars), {
      ...this.options,
      ...overrides,
      initialStep: this.learningRate,
    });
    assignFlat(vars, r.x); // the objective may have left the last trial point in the variables
    this.evaluations.full += r.functionEvals;
    this.cache = null;
    this.step += r.iterations;
    const { x: _x, ...result } = r;
    return result;
  }

  /**
   * One L-BFGS iteration (direction, line search, memory update); returns the loss before it.
   * When no progress is possible (gradient below gradTol, line search failed) the variables stay and
   * `stopRequest()` says why, so the trainer can stop with that reason.
   */
  minimize(loss: () => tf.Scalar, vars: readonly tf.Variable[]): number {
    const x = flattenVars(vars);
    const { f, g } = this.evaluateAt(x, loss, vars);
    if (!Number.isFinite(f)) {
      this.stop = `lbfgs: non-finite loss (${f}) at step ${this.step}`;
      return f;
    }
    const gn = maxAbs(g);
    if (!Number.isFinite(gn)) {
      this.stop = `lbfgs: non-finite gradient (max|g| = ${gn}) at step ${this.step} although the loss is finite (${f})`;
      return f;
    }
    if (gn <= this.options.gradTol) {
      this.stop = `lbfgs: gradient converged: max|g| = ${gn.toExponential(2)} <= gradTol ${this.options.gradTol}`;
      return f;
    }
    const objective: Objective = (xt) => {
      this.evaluations.full++;
      return flatObjective(loss, vars)(xt);
    };
    const r = lbfgsIteration(objective, this.memory, { x, f, g }, { ...this.options, initialStep: this.learningRate });
    if (!r.ok) {
      assignFlat(vars, x);
      this.cache = { x, f, g };
      this.stop = `lbfgs: line search failed at step ${this.step}: ${r.message}`;
      return f;
    }
    assignFlat(vars, r.next.x);
    // the variables hold the float32 rounding of the accepted point, which is where f and g were evaluated
    this.cache = { x: Float64Array.from(Float32Array.from(r.next.x)), f: r.next.f, g: r.next.g };
    this.step += 1;
    this.stop = null;
    return f;
  }

  /**
   * Loss and gradient at the variables' current point x. The previous iteration's line search already
   * evaluated its accepted point: if the variables still hold it, one forward pass (which also lets the
   * trainer read the loss terms) confirms the loss is unchanged and the cached gradient is reused;
   * a changed loss (resampled points) gets a full evaluation.
   */
  private evaluateAt(
    x: Float64Array,
    loss: () => tf.Scalar,
    vars: readonly tf.Variable[],
  ): { f: number; g: Float64Array } {
    const c = this.cache;
    if (c && c.x.length === x.length && c.x.every((v, i) => v === x[i])) {
      this.evaluations.forward++;
      const t = tf.tidy(loss);
      const f = t.dataSync()[0];
      t.dispose();
      if (Object.is(f, c.f)) return { f, g: c.g };
    }
    this.evaluations.full++;
    return lossAndFlatGrad(loss, vars);
  }

  /** Why the last `minimize` could not make progress, or null. */
  stopRequest(): string | null {
    return this.stop;
  }

  applyGradients(): void {
    throw new Error(
      'lbfgs: applyGradients is not supported: L-BFGS evaluates the loss in its line search; use minimize or run',
    );
  }

  getState(): OptimizerState {
    return {
      name: this.name,
      step: this.step,
      learningRate: this.learningRate,
      slots: [],
      extra: { memory: this.memory.toJSON() },
    };
  }

  setState(state: OptimizerState): void {
    if (state.name !== this.name) {
      throw new Error(`lbfgs.setState: the state belongs to optimizer '${state.name}', not 'lbfgs'`);
    }
    this.step = state.step;
    this.learningRate = state.learningRate;
    this.cache = null;
    const mem = (state.extra as { memory?: { s: number[][]; y: number[][] } } | undefined)?.memory;
    if (mem) this.memory.load(mem);
    else this.memory.clear();
  }

  dispose(): void {
    this.memory.clear();
    this.cache = null;
  }
}

/**
 * L-BFGS with a strong-Wolfe line search over tf.Variables.
 * @example
 *   const opt = lbfgs({ memory: 10, maxIterations: 500, gradTol: 1e-8 });
 *   const { iterations, functionEvals, loss, reason } = opt.run(() => lossFn(), params);
 */
export function lbfgs(config: LbfgsConfig = {}): Lbfgs {
  return new Lbfgs(config);
}

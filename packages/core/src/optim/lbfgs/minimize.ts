/**
 * L-BFGS (Liu & Nocedal 1989; Nocedal & Wright Algorithm 7.5) on a plain Float64Array objective,
 * with the strong-Wolfe line search. Every stop has a readable reason.
 */
import {
  DEFAULT_LINE_SEARCH,
  strongWolfe,
  type Acceptance,
  type LineSearchOptions,
  type PhiPoint,
} from './line-search';
import { dot, LbfgsMemory } from './memory';

/** Loss and gradient at x (gradient same length as x). */
export type Objective = (x: Float64Array) => { f: number; g: Float64Array };

/** Stopping criteria and constants of an L-BFGS run. */
export interface LbfgsOptions {
  /** Curvature pairs kept, m (default 10). */
  readonly memory: number;
  /** Most iterations (default 500). */
  readonly maxIterations: number;
  /** Most loss+gradient evaluations, line searches included (default Infinity). */
  readonly maxFunctionEvals: number;
  /** Stop when max_i |g_i| <= gradTol (default 1e-8). */
  readonly gradTol: number;
  /**
   * Stop when (f_old - f_new) <= fTol * max(|f_old|, |f_new|, 1) (default 1e-12; scipy's `ftol` form).
   * Checked only after steps with a measurable decrease: a step accepted inside the loss's rounding
   * noise (approximate Wolfe) says nothing about convergence, and stopping there is the "L-BFGS stops
   * early on float32 losses" failure.
   */
  readonly fTol: number;
  /** First trial step of each line search (scaled by min(1, 1/|g|_1) while the memory is empty) (default 1). */
  readonly initialStep: number;
  /** Line-search constants (c1, c2, maxEvals, alphaMax). */
  readonly lineSearch: LineSearchOptions;
}

export const DEFAULT_LBFGS: LbfgsOptions = {
  memory: 10,
  maxIterations: 500,
  maxFunctionEvals: Infinity,
  gradTol: 1e-8,
  fTol: 1e-12,
  initialStep: 1,
  lineSearch: DEFAULT_LINE_SEARCH,
};

/** Why a run stopped, as a code (for programs) with a readable `reason` (for people). */
export type LbfgsStopCode = 'gradTol' | 'fTol' | 'maxIterations' | 'maxFunctionEvals' | 'lineSearch' | 'nonFinite';

/** Outcome of an L-BFGS run. */
export interface LbfgsResult {
  /** Iterations completed (accepted steps). */
  readonly iterations: number;
  /** Loss + gradient evaluations, including the line searches. */
  readonly functionEvals: number;
  /** Final loss. */
  readonly loss: number;
  /** Final max_i |g_i|. */
  readonly gradNorm: number;
  /** Why it stopped, e.g. "gradient converged: max|g| = 3.1e-9 <= gradTol 1e-8 after 37 iterations". */
  readonly reason: string;
  readonly code: LbfgsStopCode;
  /** True for gradTol / fTol stops (a stationary point within tolerance), false otherwise. */
  readonly converged: boolean;
  /** Loss after each iteration, history[0] the start. */
  readonly history: number[];
}

/** Current iterate. */
export interface Iterate {
  readonly x: Float64Array;
  readonly f: number;
  readonly g: Float64Array;
}

export function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (!(a <= m)) m = a; // NaN propagates
  }
  return m;
}

const fmt = (x: number) => x.toExponential(2);

/**
 * One L-BFGS iteration from `cur`: direction by the two-loop recursion, strong-Wolfe line search,
 * memory update. On a failed search with a non-empty memory it retries once along -g.
 */
export function lbfgsIteration(
  objective: Objective,
  memory: LbfgsMemory,
  cur: Iterate,
  opts: LbfgsOptions,
): { ok: true; next: Iterate; evals: number; acceptance: Acceptance } | { ok: false; evals: number; message: string } {
  let evals = 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    let d = memory.direction(cur.g);
    let dphi0 = dot(cur.g, d);
    if (!(dphi0 < 0)) {
      // Not a descent direction (stale curvature): restart from steepest descent.
      memory.clear();
      d = memory.direction(cur.g);
      dphi0 = dot(cur.g, d);
    }
    const n = cur.x.length;
    const at = (a: number) => {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = cur.x[i] + a * d[i];
      return x;
    };
    const phi = (a: number): PhiPoint => {
      const { f, g } = objective(at(a));
      return { a, f, dphi: dot(g, d), g };
    };
    let gl1 = 0;
    for (let i = 0; i < n; i++) gl1 += Math.abs(cur.g[i]);
    const alpha1 = memory.length > 0 ? opts.initialStep : Math.min(1, 1 / gl1) * opts.initialStep;
    const ls = strongWolfe(phi, { a: 0, f: cur.f, dphi: dphi0, g: cur.g }, alpha1, opts.lineSearch);
    evals += ls.evals;
    if (ls.ok) {
      const x = at(ls.point.a);
      const s = new Float64Array(n),
        y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        s[i] = x[i] - cur.x[i];
        y[i] = ls.point.g[i] - cur.g[i];
      }
      memory.push(s, y);
      return { ok: true, next: { x, f: ls.point.f, g: ls.point.g }, evals, acceptance: ls.acceptance };
    }
    if (memory.length === 0 || attempt === 1) return { ok: false, evals, message: ls.message };
    memory.clear();
  }
  /* istanbul ignore next */ throw new Error('unreachable');
}

/**
 * Minimise `objective` from `x0` with L-BFGS.
 *
 * @example
 *   // Rosenbrock in 2-d
 *   const r = minimizeLbfgs((x) => ({ f: ..., g: Float64Array.of(...) }), Float64Array.of(-1.2, 1));
 *   r.reason; // "gradient converged: max|g| = ... <= gradTol 1e-8 after 35 iterations"
 */
export function minimizeLbfgs(
  objective: Objective,
  x0: Float64Array,
  options: Partial<LbfgsOptions> = {},
): LbfgsResult & { x: Float64Array } {
  const opts = { ...DEFAULT_LBFGS, ...options };
  const memory = new LbfgsMemory(opts.memory);
  const first = objective(Float64Array.from(x0));
  let cur: Iterate = { x: Float64Array.from(x0), f: first.f, g: first.g };
  let evals = 1,
    iterations = 0;
  const history = [cur.f];
  const done = (code: LbfgsStopCode, reason: string) => ({
    x: cur.x,
    iterations,
    functionEvals: evals,
    loss: cur.f,
    gradNorm: maxAbs(cur.g),
    reason,
    code,
    converged: code === 'gradTol' || code === 'fTol',
    history,
  });
  if (!Number.isFinite(cur.f) || !Number.isFinite(maxAbs(cur.g))) {
    return done(
      'nonFinite',
      `non-finite ${Number.isFinite(cur.f) ? 'gradient' : `loss (${cur.f})`} at the start point`,
    );
  }
  for (;;) {
    const gn = maxAbs(cur.g);
    if (gn <= opts.gradTol) {
      return done(
        'gradTol',
        `gradient converged: max|g| = ${fmt(gn)} <= gradTol ${opts.gradTol} after ${iterations} iterations`,
      );
    }
    if (iterations >= opts.maxIterations) {
      return done(
        'maxIterations',
        `reached maxIterations ${opts.maxIterations} (loss ${fmt(cur.f)}, max|g| ${fmt(gn)}); raise maxIterations to continue`,
      );
    }
    if (evals >= opts.maxFunctionEvals) {
      return done(
        'maxFunctionEvals',
        `reached maxFunctionEvals ${opts.maxFunctionEvals} after ${iterations} iterations (loss ${fmt(cur.f)})`,
      );
    }
    const r = lbfgsIteration(objective, memory, cur, opts);
    evals += r.evals;
    if (!r.ok) {
      return done(
        'lineSearch',
        `line search failed at iteration ${iterations + 1}: ${r.message}; loss ${fmt(cur.f)}, max|g| ${fmt(gn)}`,
      );
    }
    const fOld = cur.f;
    cur = r.next;
    iterations++;
    history.push(cur.f);
    const change = fOld - cur.f;
    if (r.acceptance !== 'approximate' && change <= opts.fTol * Math.max(Math.abs(fOld), Math.abs(cur.f), 1)) {
      return done(
        'fTol',
        `loss change ${fmt(change)} <= fTol ${opts.fTol} x max(|f|, 1) at iteration ${iterations} (loss ${fmt(cur.f)})`,
      );
    }
  }
}

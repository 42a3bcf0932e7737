/**
 * Time-marching (Wight & Zhao 2020, "Solving Allen-Cahn and Cahn-Hilliard equations using the
 * adaptive physics informed neural networks", arXiv:2007.04542; Krishnapriyan et al. 2021,
 * "Characterizing possible failure modes in physics-informed neural networks", seq2seq):
 * [t0, t1] is cut into K equal windows trained in order; window k+1's initial condition is the
 * window-k solution at its end time, u_k(t_{k+1}, x), on points of the start slice.
 *
 * Mode 'continue' starts each window from the previous window's weights; 'fresh' builds a new
 * network per window from the same seed (jaxpi). The result's model predicts with the window
 * that holds each point's time. Checkpoints go to `<dir>/window-<k>`; a resumed run reloads the
 * windows already trained from their last checkpoints and continues the interrupted one.
 */
import { check, positiveInt, requireNode, Rng } from '@aml/core';
import { observations } from '../conditions/observations';
import { SpaceTime, timeDomain } from '../geometry/space-time';
import { definePde, type Problem } from '../problems/problem';
import type { SolverConfig } from '../solver/config';
import type { PinnModel } from '../solver/model';
import type { SolveHistory } from './session';

/** Time-marching settings. */
export interface MarchingConfig {
  /** Equal time windows K (>= 1). */
  readonly windows: number;
  /** 'continue' from the previous window's weights, or a 'fresh' network per window (default 'continue'). */
  readonly mode?: 'continue' | 'fresh';
  /** Points on each later window's start slice carrying the previous solution (default points.initial, else 200). */
  readonly initialPoints?: number;
}

/** One trained window. */
export interface MarchingWindow {
  readonly t0: number;
  readonly t1: number;
  readonly model: PinnModel;
  readonly history: SolveHistory;
  /** For windows after the first: the start-slice points (n*d) and the previous window's values there (n*m), its initial target. */
  readonly initialTarget?: { readonly points: Float64Array; readonly values: Float64Array };
}

/** What `solve` runs for one window (passed in to avoid an import cycle). */
export type WindowSolver = (
  problem: Problem,
  config: SolverConfig,
) => Promise<{ model: PinnModel; history: SolveHistory }>;

/** Check a marching config against the problem; errors name the field. */
export function checkMarching(problem: Problem, config: SolverConfig): void {
  const m = config.marching!;
  check(positiveInt(), m.windows, 'solver: marching.windows');
  if (m.mode !== undefined && m.mode !== 'continue' && m.mode !== 'fresh')
    throw new Error(`solver: marching.mode must be 'continue' or 'fresh', got ${JSON.stringify(m.mode)}`);
  check(positiveInt().optional(), m.initialPoints, 'solver: marching.initialPoints');
  if (!(problem.geometry instanceof SpaceTime))
    throw new Error('solver: marching needs a time-dependent domain (space x [t0, t1])');
  if (!problem.spec)
    throw new Error('solver: marching needs a problem built by definePde (it rebuilds the problem per window)');
  if (problem.constraint)
    throw new Error(
      'solver: marching cannot carry a hard constraint (trial solution) across windows; use an initial condition',
    );
}

/** The problem on [a, b]: later windows take `target` instead of the initial conditions. */
function windowProblem(
  problem: Problem,
  a: number,
  b: number,
  target?: { points: Float64Array; values: Float64Array },
): Problem {
  const spec = problem.spec!;
  const g = problem.geometry as SpaceTime;
  const geometry = timeDomain(g.space, a, b, g.timeName);
  if (!target) return definePde({ ...spec, geometry });
  const d = geometry.dim;
  const m = problem.names.outputs.length;
  const rows = Array.from({ length: target.points.length / d }, (_, k) =>
    Array.from(target.points.subarray(k * d, (k + 1) * d)),
  );
  const vals = rows.map((_, k) => Array.from(target.values.subarray(k * m, (k + 1) * m)));
  const conditions = [observations(rows, vals), ...(spec.conditions ?? []).filter((c) => c.kind !== 'initial')];
  return definePde({ ...spec, geometry, conditions });
}

/** A model that predicts each point with the window holding its time (the last window includes t1). */
function marchedModel(problem: Problem, windows: readonly MarchingWindow[]): PinnModel {
  const last = windows[windows.length - 1].model;
  const d = problem.geometry.dim;
  const which = (t: number) => {
    const k = windows.findIndex((w) => t < w.t1);
    return k < 0 ? windows.length - 1 : k;
  };
  const model = Object.create(last) as PinnModel; // every other member is the last window's
  return Object.assign(model, {
    problem,
    predict(
      points: Float64Array | readonly (readonly number[])[],
      symbols: readonly string[] = problem.names.outputs,
    ): Float64Array {
      const flat = points instanceof Float64Array ? points : Float64Array.from(points.flat());
      const n = flat.length / d;
      const s = symbols.length;
      const out = new Float64Array(n * s);
      windows.forEach((w, k) => {
        const idx = Array.from({ length: n }, (_, i) => i).filter((i) => which(flat[i * d + d - 1]) === k);
        if (!idx.length) return;
        const sub = new Float64Array(idx.length * d);
        idx.forEach((i, j) => sub.set(flat.subarray(i * d, (i + 1) * d), j * d));
        const v = w.model.predict(sub, symbols);
        idx.forEach((i, j) => out.set(v.subarray(j * s, (j + 1) * s), i * s));
      });
      return out;
    },
    dispose() {
      for (const w of windows) w.model.dispose();
    },
  });
}

/** Concatenate the windows' histories (phases and sampling events keep their window order). */
function joinHistories(windows: readonly MarchingWindow[]): SolveHistory {
  const cat = <T>(lists: T[][]) => lists.reduce<T[]>((a, b) => (b.forEach((v) => a.push(v)), a), []);
  const keys = (f: (h: SolveHistory) => Record<string, number[]>) => [
    ...new Set(windows.flatMap((w) => Object.keys(f(w.history)))),
  ];
  const rec = (f: (h: SolveHistory) => Record<string, number[]>) =>
    Object.fromEntries(
      keys(f).map((k) => [
        k,
        cat(windows.map((w) => f(w.history)[k] ?? new Array<number>(w.history.loss.length).fill(NaN))),
      ]),
    );
  const hs = windows.map((w) => w.history);
  const causal = hs.every((h) => h.causal)
    ? { minWeight: cat(hs.map((h) => h.causal!.minWeight)), epsilon: cat(hs.map((h) => h.causal!.epsilon)) }
    : undefined;
  return {
    loss: cat(hs.map((h) => h.loss)),
    terms: rec((h) => h.terms),
    weights: rec((h) => h.weights),
    coefficients: rec((h) => h.coefficients),
    phases: cat(hs.map((h) => h.phases)),
    collocationPoints: cat(hs.map((h) => h.collocationPoints)),
    sampling: cat(hs.map((h) => h.sampling)),
    learningRate: cat(hs.map((h) => h.learningRate)),
    ...(causal ? { causal } : {}),
    windows: windows.map((w) => ({ t0: w.t0, t1: w.t1, steps: w.history.loss.length })),
  };
}

/**
 * Train window after window. Term names of later windows: 'observations' replaces 'initial(...)'.
 * @returns the marched model (dispose it once), the joined history and every window
 */
export async function solveMarching(
  problem: Problem,
  config: SolverConfig,
  solveWindow: WindowSolver,
): Promise<{ model: PinnModel; history: SolveHistory; windows: MarchingWindow[] }> {
  checkMarching(problem, config);
  const m = config.marching!;
  const g = problem.geometry as SpaceTime;
  const n = m.initialPoints ?? config.points?.initial ?? 200;
  const rng = new Rng(config.seed ?? 0).fork(); // the start-slice points
  const windows: MarchingWindow[] = [];
  for (let k = 0; k < m.windows; k++) {
    const a = g.t0 + ((g.t1 - g.t0) * k) / m.windows;
    const b = k === m.windows - 1 ? g.t1 : g.t0 + ((g.t1 - g.t0) * (k + 1)) / m.windows;
    const prev = windows[k - 1];
    let target: { points: Float64Array; values: Float64Array } | undefined;
    if (prev) {
      const points = timeDomain(g.space, a, b, g.timeName).sampleInitial(n, rng, config.points?.sampler ?? 'lhs');
      target = { points, values: prev.model.predict(points) };
    }
    const warmStart = prev && (m.mode ?? 'continue') === 'continue' ? prev.model : undefined;
    const sub = (dir: string) => `${dir.replace(/[\\/]+$/, '')}/window-${k}`; // no node:path: this file runs in a browser too
    const r = await solveWindow(windowProblem(problem, a, b, target), {
      ...config,
      marching: undefined,
      warmStart,
      checkpoint: config.checkpoint ? { ...config.checkpoint, dir: sub(config.checkpoint.dir) } : undefined,
      resumeFrom:
        config.resumeFrom && requireNode('marching: resumeFrom').readManifest(sub(config.resumeFrom))
          ? sub(config.resumeFrom)
          : undefined,
    });
    windows.push({ t0: a, t1: b, model: r.model, history: r.history, initialTarget: target });
    if (config.signal?.aborted) break; // interrupted: the later windows wait for a resume
  }
  return { model: marchedModel(problem, windows), history: joinHistories(windows), windows };
}

/** Copy `from`'s variables into `to`'s by name (same architecture); errors name a missing or mis-shaped one. */
export function copyVariables(from: PinnModel, to: PinnModel): void {
  const src = from.variables();
  for (const [name, v] of Object.entries(to.variables())) {
    const s = src[name];
    if (!s) throw new Error(`solver: warmStart has no variable '${name}'; it must have the same network`);
    if (s.shape.join() !== v.shape.join())
      throw new Error(`solver: warmStart variable '${name}' has shape [${s.shape}], the network needs [${v.shape}]`);
    v.assign(s); // shares the data (reference counted): the source may be disposed later
  }
}

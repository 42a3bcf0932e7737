/**
 * A time-marching run's model is one network per time window, each with its own input scaling (the
 * window's box): saved side by side in one model folder (variables `window-<k>/<name>`, the windows'
 * time ranges in the manifest's config), rebuilt window by window for `eval`, and evaluated with
 * each point's own window.
 */
import * as fs from 'node:fs';
import { Rng, type tf } from '@aml/core';
import { checkpointExtra, loadCheckpoint, readManifest } from '@aml/core/node';
import { createModel, definePde, SpaceTime, type BuiltProblem as PinnBuilt, type PinnModel } from '@aml/pinn';

/** One window of a marched model: its time range [t0, t1) (the last includes t1) and its network. */
export interface WindowModel {
  readonly t0: number;
  readonly t1: number;
  readonly model: PinnModel;
}

/** Prefix of window k's variables in the saved model. */
const prefix = (k: number) => `window-${k}/`;

/** Every window's variables under one name each, `window-<k>/<name>`, for `saveModel`. */
export function windowVariables(windows: readonly WindowModel[]): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  windows.forEach((w, k) => {
    for (const [name, v] of Object.entries(w.model.variables())) out[prefix(k) + name] = v;
  });
  return out;
}

/**
 * Networks for the windows `ranges` of problem `b`, built as training built them (the window's
 * time range scales the inputs); their values come from the saved model afterwards.
 */
export function buildWindowModels(b: PinnBuilt, ranges: readonly (readonly [number, number])[]): WindowModel[] {
  const g = b.problem.geometry;
  const spec = b.problem.spec;
  if (!(g instanceof SpaceTime) || !spec)
    throw new Error(
      'the saved model has time windows, but the problem has no time axis; was the config changed after training?',
    );
  return ranges.map(([t0, t1]) => {
    const problem = definePde({ ...spec, geometry: new SpaceTime(g.space, t0, t1, g.timeName) });
    return { t0, t1, model: createModel(problem, b.solver, new Rng(b.solver.seed ?? 0)) };
  });
}

/** The window holding time t: the first whose end lies beyond t (the last window for t = t1). */
function windowOf(windows: readonly WindowModel[], t: number): number {
  const k = windows.findIndex((w) => t < w.t1);
  return k < 0 ? windows.length - 1 : k;
}

/** Predict points (N, d) row-major, time last, each with its window's network -> (N, m). */
export function predictByWindow(
  windows: readonly WindowModel[],
  points: Float64Array,
  d: number,
  m: number,
): Float64Array {
  const n = points.length / d;
  const out = new Float64Array(n * m);
  const groups = windows.map(() => [] as number[]);
  for (let i = 0; i < n; i++) groups[windowOf(windows, points[i * d + d - 1])].push(i);
  groups.forEach((idx, k) => {
    if (!idx.length) return;
    const sub = new Float64Array(idx.length * d);
    idx.forEach((i, j) => sub.set(points.subarray(i * d, (i + 1) * d), j * d));
    const v = windows[k].model.predict(sub);
    idx.forEach((i, j) => out.set(v.subarray(j * m, (j + 1) * m), i * m));
  });
  return out;
}

/**
 * The folder holding the newest checkpoint of a run: `dir` itself, or for a time-marching run (which
 * checkpoints each window into `<dir>/window-<k>`) the latest window's folder; null when none holds one.
 */
export function latestCheckpointDir(dir: string, has: (dir: string) => boolean): string | null {
  if (has(dir)) return dir;
  for (let k = windowFolders(dir) - 1; k >= 0; k--) if (has(`${dir}/window-${k}`)) return `${dir}/window-${k}`;
  return null;
}

/** How many `window-<k>` folders `dir` holds (0 when it is no marching checkpoint). */
export function windowFolders(dir: string): number {
  let k = 0;
  while (fs.existsSync(`${dir}/window-${k}`)) k++;
  return k;
}

/** The residual points saved in the newest checkpoint under `dir` (N, d), or undefined when it holds none. */
export function finalCollocation(dir: string): { n: number; d: number; data: Float32Array } | undefined {
  const at = latestCheckpointDir(dir, (d) => readManifest(d) !== null);
  const pts = at ? checkpointExtra(loadCheckpoint(at))?.arrays?.collocation : undefined;
  return pts && pts.shape.length === 2 ? { n: pts.shape[0], d: pts.shape[1], data: pts.data } : undefined;
}

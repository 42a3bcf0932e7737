/**
 * The app's adapter over @aml/pinn: `problemFromConfig` validates and compiles the problem config
 * (pinn owns its schema), `solve` trains it (Adam then L-BFGS through core's trainer), and the
 * trained `PinnModel` answers predictions. The app adds only what pinn leaves to it: progress
 * lines per phase, checkpoint files for `eval`, and config edits for --steps/--seed/--quick.
 */
import { Rng, type Callback, type History } from '@aml/core';
import * as path from 'node:path';
import { LAYERS_WEIGHTS_FILE, readManifest } from '@aml/core/node';
import {
  createModel,
  problemConfigSchema,
  problemFromConfig,
  solve,
  writeMlpLayers,
  writeMlpNpz,
  solveMarching,
  type BuiltProblem as PinnBuilt,
  type PinnModel,
  type SolveHistory,
} from '@aml/pinn';
import { ConfigError, zodMessage } from '../catalog/catalog';
import { deepMerge, getPath, isObject as isPlainObject, setPath } from '@aml/sweep';
import type {
  BuiltProblem,
  Divergence,
  ParsedProblem,
  ProblemAdapter,
  SamplingEventView,
  SolverTrace,
  TrainOutcome,
} from './contract';
import { checkMemory, checkTraining, pointCounts } from './preflight';
import { buildWindowModels, finalCollocation, predictByWindow, windowVariables, type WindowModel } from './marching';
import { loadVariables, saveVariables } from './weights';

/** ParsedProblem with pinn's compiled problem attached. */
interface PinnParsed extends ParsedProblem {
  readonly pinn: PinnBuilt;
}

/** Phase-aware progress: pinn's solver runs the same callbacks in each phase; a step counter reset marks the next phase. */
function phaseCallbacks(phases: readonly string[], make: (phase: string) => Callback[]): Callback {
  let k = 0;
  let last = -1;
  let current = make(phases[0] ?? 'train');
  return {
    async onStepEnd(info) {
      if (info.step <= last && k + 1 < phases.length) current = make(phases[++k]);
      last = info.step;
      for (const c of current) await c.onStepEnd?.(info);
    },
  };
}

function built(parsed: PinnParsed): BuiltProblem {
  const b = parsed.pinn;
  let model: PinnModel | undefined = createModel(b.problem, b.solver, new Rng(b.solver.seed ?? 0));
  let trained = false;
  // time-marching: every window's model; trained ones are disposed with the marched model, loaded ones one by one
  let windows: readonly WindowModel[] | undefined;
  let loadedWindows = false;
  const need = (): PinnModel => {
    if (!model) throw new Error('the model has been disposed');
    return model;
  };
  return {
    parsed,
    async train(o): Promise<TrainOutcome> {
      if (trained) throw new Error('train: this problem was already trained');
      trained = true;
      // solve builds its own model from the seed; drop the placeholder built for eval.
      model?.dispose();
      model = undefined;
      const perWindow = parsed.phases.filter(([, n]) => n > 0).map(([p]) => p);
      // time-marching runs the phases once per window
      const names = Array.from({ length: b.solver.marching?.windows ?? 1 }, () => perWindow).flat();
      // One stop for both causes: the user's signal, and a non-finite loss (which must not go on to L-BFGS).
      const stopper = new AbortController();
      const forward = () => stopper.abort(o.signal?.reason);
      if (o.signal?.aborted) forward();
      o.signal?.addEventListener('abort', forward);
      const watch = divergenceWatch(names, () => stopper.abort('diverged'));
      const prior = o.resumeFrom ? priorHistory(o.resumeFrom, b.solver.marching?.windows ?? 0) : undefined;
      try {
        const config = {
          ...b.solver,
          callbacks: [phaseCallbacks(names, o.callbacks), watch.callback],
          checkpoint: o.checkpoint,
          resumeFrom: o.resumeFrom,
          signal: stopper.signal,
        };
        const t0 = performance.now();
        // Marching through solveMarching itself: its windows (each with its own network) are saved and scored one by one.
        const r = b.solver.marching
          ? await solveMarching(b.problem, config, solve)
          : { ...(await solve(b.problem, config)), windows: undefined };
        const seconds = (performance.now() - t0) / 1000;
        model = r.model;
        windows = r.windows;
        const history = !prior
          ? r.history
          : r.windows
            ? { ...r.history, phases: r.windows.flatMap((w, k) => withPrior(w.history, prior.windows?.[k]).phases) }
            : withPrior(r.history, prior);
        let start = 0;
        const phases = history.phases.map((p) => {
          const e = { name: p.name, start, steps: p.steps, stopReason: p.stopReason, seconds: p.seconds };
          start += p.steps;
          return e;
        });
        const stopReason = phases.map((p) => `${p.name}: ${p.stopReason}`).join('; ') || 'no training steps';
        const divergence = watch.divergence();
        const status = divergence ? 'diverged' : o.signal?.aborted ? 'interrupted' : 'completed';
        return {
          history: { loss: history.loss, terms: history.terms, stopReason },
          phases,
          coefficients: history.coefficients,
          seconds,
          status,
          divergence,
          resumedAt: prior?.steps ?? 0,
          trace: {
            ...solverTrace(history, r.windows),
            ...(status === 'completed' && o.checkpoint ? { finalPoints: finalCollocation(o.checkpoint.dir) } : {}),
          },
        };
      } finally {
        o.signal?.removeEventListener('abort', forward);
      }
    },
    solution() {
      const m = need();
      return {
        inputs: parsed.inputs,
        outputs: parsed.outputs,
        box: parsed.box,
        // a trained marched model predicts window by window itself; a loaded one is a list of windows
        predict: (points) =>
          windows && loadedWindows
            ? predictByWindow(windows, points, parsed.inputs.length, parsed.outputs.length)
            : m.predict(points),
        reference: parsed.reference,
      };
    },
    coefficients: () => need().coefficients(),
    saveCheckpoint(dir) {
      if (!windows) return saveVariables(dir, need().variables(), { problem: b.name });
      saveVariables(dir, windowVariables(windows), { problem: b.name, windows: windows.map((w) => [w.t0, w.t1]) });
    },
    loadCheckpoint(dir) {
      const ranges = readManifest(dir)?.config.windows as [number, number][] | undefined;
      if (!ranges) return loadVariables(dir, need().variables());
      // one network per time window, each scaled to its window as in training
      model?.dispose();
      windows = buildWindowModels(b, ranges);
      loadedWindows = true;
      model = windows[windows.length - 1].model;
      loadVariables(dir, windowVariables(windows));
    },
    async exportModel(format, out) {
      const m = need();
      if (windows && windows.length > 1)
        throw new Error(
          `export: this model has ${windows.length} time windows, one network each; export takes a single network (train without training.marching)`,
        );
      if (format === 'npz') {
        writeMlpNpz(out, m.net, m.scaling);
        return [out];
      }
      const file = await writeMlpLayers(out, m.net, m.scaling, b.name);
      return [file, path.join(out, LAYERS_WEIGHTS_FILE)];
    },
    dispose() {
      if (loadedWindows) windows?.forEach((w) => w.model.dispose());
      else model?.dispose();
      model = undefined;
      windows = undefined;
    },
  };
}

/**
 * The solver's record beyond the losses. With time-marching, `windows` holds each window's own history:
 * its sampling steps count from the window's start, shifted here to count from the run's start.
 */
export function solverTrace(h: SolveHistory, windows?: readonly { readonly history: SolveHistory }[]): SolverTrace {
  let sampling: SamplingEventView[] = h.sampling;
  if (windows) {
    let start = 0;
    sampling = windows.flatMap((w) => {
      const events = w.history.sampling.map((e) => ({ ...e, step: e.step + start }));
      start += w.history.loss.length;
      return events;
    });
  }
  return {
    learningRate: h.learningRate,
    weights: h.weights,
    sampling,
    collocationPoints: h.collocationPoints,
    ...(h.causal ? { causal: h.causal } : {}),
    ...(h.windows ? { windows: h.windows } : {}),
  };
}

/** Training block of a config as an object (for edits). */
function training(config: unknown): Record<string, unknown> {
  const t = getPath(config, 'training');
  return isPlainObject(t) ? t : {};
}

/**
 * Watches each phase's end for the trainer's NaN guard: records the phase, the step and the first
 * non-finite term (the last recorded step holds the bad values), and calls `onDiverge`.
 */
function divergenceWatch(
  phases: readonly string[],
  onDiverge: () => void,
): { callback: Callback; divergence: () => Divergence | undefined } {
  let k = 0;
  let offset = 0;
  let found: Divergence | undefined;
  const callback: Callback = {
    onTrainEnd(h: History) {
      const phase = phases[k++] ?? 'train';
      if (h.stoppedBy === 'nanGuard' && !found) {
        const i = h.loss.length - 1;
        const bad = Object.entries(h.terms).find(([, v]) => !Number.isFinite(v[i]));
        const [term, value] = bad ? [bad[0], bad[1][i]] : ['loss', h.loss[i]];
        found = { phase, step: offset + i, term, value: String(value) };
        onDiverge();
      }
      offset += h.steps;
    },
  };
  return { callback, divergence: () => found };
}

/** What the checkpoint a run resumes from says about the steps before it. */
interface PriorHistory {
  /** Steps of the whole run done before the resume. */
  readonly steps: number;
  /** The phase the checkpoint was written in (absent for a checkpoint without the solver's state). */
  readonly phase?: string;
  /** Time-marching: each window's own (from `<dir>/window-<k>`; absent for a window not started). */
  readonly windows?: readonly (PriorHistory | undefined)[];
}

function priorHistory(dir: string, windows = 0): PriorHistory | undefined {
  if (windows > 0) {
    const each = Array.from({ length: windows }, (_, k) => priorHistory(`${dir}/window-${k}`));
    return each.some((p) => p) ? { steps: each.reduce((a, p) => a + (p?.steps ?? 0), 0), windows: each } : undefined;
  }
  const m = readManifest(dir);
  if (!m) return undefined;
  const solver = (m.extra?.data ?? null) as { kind?: string; phase?: string; history?: { loss?: unknown[] } } | null;
  if (solver?.kind !== 'pinn-solver' || !solver.phase) return { steps: m.step };
  // the solver's history holds the phases finished before the checkpoint's; the checkpoint's step counts in its phase
  return { steps: (solver.history?.loss?.length ?? 0) + m.step, phase: solver.phase };
}

/**
 * The whole run's history after a resume, each phase counting all its steps: the solver returns the
 * whole history but counts in the resumed phase only the steps run after the resume.
 */
function withPrior(h: SolveHistory, prior: PriorHistory | undefined): SolveHistory {
  if (!prior?.phase) return h;
  const counted = h.phases.reduce((a, p) => a + p.steps, 0);
  return {
    ...h,
    phases: h.phases.map((p) => (p.name === prior.phase ? { ...p, steps: p.steps + h.loss.length - counted } : p)),
  };
}

export const pinnAdapter: ProblemAdapter = {
  parse(config, where) {
    // The schema first, so a bad field is one line naming it (pinn's own message spans several).
    const checked = problemConfigSchema.safeParse(config);
    if (!checked.success) throw new ConfigError(zodMessage(where, checked.error, '', problemConfigSchema));
    const b = problemFromConfig(config, where);
    const g = b.problem.geometry;
    const ref = b.reference;
    const parsed: PinnParsed = {
      inputs: g.names,
      outputs: b.problem.names.outputs,
      box: { lo: [...g.bbox.lo], hi: [...g.bbox.hi] },
      phases: [
        ['adam', b.solver.adam?.steps ?? 0],
        ['lbfgs', b.solver.lbfgs?.steps ?? 0],
      ],
      reference: ref ? (p) => ref.evaluate(p) : undefined,
      referenceLabel: ref?.label,
      referenceFile: b.config.reference?.file,
      // the engine that ran (the fused engine falls back to taylor or nested for networks it cannot take)
      get engine() {
        const e = b.solver.engine as { name: string; lastEngine?: () => string | null } | undefined;
        return e?.lastEngine?.() ?? e?.name ?? 'taylor';
      },
      trainable: Object.keys(b.problem.parameters).filter((k) => b.problem.parameters[k].trainable),
      pinn: b,
    };
    return parsed;
  },
  build: (parsed) => built(parsed as PinnParsed),
  preflight(parsed, where) {
    const b = (parsed as PinnParsed).pinn;
    const settings = checkTraining(b.config, where);
    checkMemory(
      { inputs: parsed.inputs.length, layers: b.config.network.layers, counts: pointCounts(b.config) },
      where,
    );
    return settings;
  },
  withSteps(config, steps) {
    // Keep the Adam/L-BFGS split of the config; all steps go to Adam when it has no L-BFGS phase.
    const t = training(config);
    const adamSteps = Number(getPath(t, 'adam.steps') ?? 1000);
    const lbfgsSteps = Number(getPath(t, 'lbfgs.steps') ?? 0);
    const total = adamSteps + lbfgsSteps;
    const a = total > 0 ? Math.round((steps * adamSteps) / total) : steps;
    let out = setPath(config, 'training.adam.steps', a, { create: true });
    if (lbfgsSteps > 0) out = setPath(out, 'training.lbfgs.steps', steps - a, { create: true });
    return out;
  },
  withSeed: (config, seed) => setPath(config, 'training.seed', seed, { create: true }),
  seedOf(config) {
    const s = getPath(config, 'training.seed');
    return typeof s === 'number' ? s : undefined;
  },
  quick(config) {
    const t = training(config);
    return deepMerge(config, {
      network: { layers: [8, 8] },
      training: {
        points: { domain: 64, boundary: 16, initial: 16 },
        adam: { steps: 5 },
        ...(isPlainObject(t.lbfgs) ? { lbfgs: { steps: 2 } } : {}),
        ...(isPlainObject(t.refinement) ? { refinement: { every: 2, add: 8 } } : {}),
      },
    });
  },
  withObservations(config, points, values, weight) {
    const conditions = (getPath(config, 'conditions') as unknown[] | undefined) ?? [];
    return {
      ...(config as object),
      conditions: [
        ...conditions,
        { type: 'observations', points, values, ...(weight !== undefined ? { weight } : {}) },
      ],
    };
  },
};

/**
 * The app's adapter over @aml/pinn: `problemFromConfig` validates and compiles the problem config
 * (pinn owns its schema), `solve` trains it (Adam then L-BFGS through core's trainer), and the
 * trained `PinnModel` answers predictions. The app adds only what pinn leaves to it: progress
 * lines per phase, checkpoint files for `eval`, and config edits for --steps/--seed/--quick.
 */
import { Rng, type Callback } from '@aml/core';
import { createModel, problemFromConfig, solve, type BuiltProblem as PinnBuilt, type PinnModel } from '@aml/pinn';
import { deepMerge, getPath, isPlainObject, setPath } from '../experiments/merge';
import type { BuiltProblem, ParsedProblem, ProblemAdapter, TrainOutcome } from './contract';
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
      const names = parsed.phases.filter(([, n]) => n > 0).map(([p]) => p);
      const r = await solve(b.problem, { ...b.solver, callbacks: [phaseCallbacks(names, o.callbacks)] });
      model = r.model;
      let start = 0;
      const phases = r.history.phases.map((p) => {
        const e = { name: p.name, start, steps: p.steps, stopReason: p.stopReason, seconds: p.seconds };
        start += p.steps;
        return e;
      });
      const stopReason = phases.map((p) => `${p.name}: ${p.stopReason}`).join('; ') || 'no training steps';
      return { history: { loss: r.history.loss, terms: r.history.terms, stopReason }, phases, coefficients: r.history.coefficients, seconds: r.seconds };
    },
    solution() {
      const m = need();
      return {
        inputs: parsed.inputs,
        outputs: parsed.outputs,
        box: parsed.box,
        predict: (points) => m.predict(points),
        reference: parsed.reference,
      };
    },
    coefficients: () => need().coefficients(),
    saveCheckpoint: (dir) => saveVariables(dir, need().variables(), { problem: b.name }),
    loadCheckpoint: (dir) => loadVariables(dir, need().variables()),
    dispose() {
      model?.dispose();
      model = undefined;
    },
  };
}

/** Training block of a config as an object (for edits). */
function training(config: unknown): Record<string, unknown> {
  const t = getPath(config, 'training');
  return isPlainObject(t) ? t : {};
}

export const pinnAdapter: ProblemAdapter = {
  parse(config, where) {
    const b = problemFromConfig(config, where);
    const g = b.problem.geometry;
    const ref = b.reference;
    const parsed: PinnParsed = {
      inputs: g.names,
      outputs: b.problem.names.outputs,
      box: { lo: [...g.bbox.lo], hi: [...g.bbox.hi] },
      phases: [['adam', b.solver.adam?.steps ?? 0], ['lbfgs', b.solver.lbfgs?.steps ?? 0]],
      reference: ref ? (p) => ref.evaluate(p) : undefined,
      referenceLabel: ref?.label,
      referenceFile: b.config.reference?.file,
      engine: b.solver.engine?.name ?? 'taylor',
      trainable: Object.keys(b.problem.parameters).filter((k) => b.problem.parameters[k].trainable),
      pinn: b,
    };
    return parsed;
  },
  build: (parsed) => built(parsed as PinnParsed),
  withSteps(config, steps) {
    // Keep the Adam/L-BFGS split of the config; all steps go to Adam when it has no L-BFGS phase.
    const t = training(config);
    const adamSteps = Number(getPath(t, 'adam.steps') ?? 1000);
    const lbfgsSteps = Number(getPath(t, 'lbfgs.steps') ?? 0);
    const total = adamSteps + lbfgsSteps;
    const a = total > 0 ? Math.round((steps * adamSteps) / total) : steps;
    let out = setPath(config, 'training.adam.steps', a);
    if (lbfgsSteps > 0) out = setPath(out, 'training.lbfgs.steps', steps - a);
    return out;
  },
  withSeed: (config, seed) => setPath(config, 'training.seed', seed),
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
    return { ...(config as object), conditions: [...conditions, { type: 'observations', points, values, ...(weight !== undefined ? { weight } : {}) }] };
  },
};

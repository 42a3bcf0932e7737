/**
 * The training loop used by every package: a model supplies its variables and a loss
 * (or its own step); the trainer owns optimizers, schedules, batches, callbacks, progress,
 * the NaN guard, checkpoints and the history.
 */
import { tf } from '../tf';
import { Rng } from '../random/rng';
import { Batcher } from './batches';
import type { Callback, RunHandle } from './callback';
import { namedParams, validateTrainConfig, type TrainConfig } from './config';
import { findNonFinite, WeightGuard } from './nan-guard';
import { createProgress, formatLoss } from './progress';
import { optimizerStep } from './step';
import { requireNode } from '../platform/node-entry';
import type { History, StepContext, StepResult } from './types';

/** The variables of `params` as a list, in a fixed order. */
export function paramList(params: TrainConfig['params']): tf.Variable[] {
  return namedParams(params).map(([, v]) => v);
}

function toResult(r: number | StepResult): StepResult {
  return typeof r === 'number' ? { loss: r } : r;
}

/** An empty history. */
export function emptyHistory(): History {
  return {
    loss: [],
    terms: {},
    learningRate: [],
    epochLoss: [],
    startStep: 0,
    steps: 0,
    stopReason: 'completed',
    stoppedBy: 'completed',
  };
}

/** Plain data describing the run (for checkpoints' manifests). */
function describeRun(c: TrainConfig): Record<string, unknown> {
  return {
    params: namedParams(c.params).map(([n, v]) => ({ name: n, shape: v.shape })),
    optimizers: Object.fromEntries(
      Object.entries({ ...(c.optimizer ? { optimizer: c.optimizer } : {}), ...(c.optimizers ?? {}) }).map(([k, o]) => [
        k,
        o.name,
      ]),
    ),
    steps: c.steps,
    epochs: c.epochs,
    batchSize: c.batchSize,
    shuffle: c.shuffle ?? true,
    dataRows: c.data ? Object.values(c.data)[0]?.shape[0] : undefined,
  };
}

/**
 * Train and return the loss history.
 *
 * Modes: `steps` (full batch, or mini-batches cycling through `data`), or `epochs` over `data` in
 * mini-batches of `batchSize` (seeded reshuffle every epoch).
 *
 * @example
 *   const history = await train({
 *     params: { w, b }, optimizer: adam({ learningRate: 1e-2 }),
 *     data: { x, y }, batchSize: 32, epochs: 50, rng: new Rng(1),          // x (N, 3), y (N, 1)
 *     loss: ({ batch }) => tf.losses.meanSquaredError(batch!.y, batch!.x.matMul(w).add(b)) as tf.Scalar,
 *     callbacks: [earlyStopping({ patience: 5 })],
 *   });
 */
export async function train(config: TrainConfig): Promise<History> {
  const cfg = validateTrainConfig(config);
  const s = setUp(cfg);
  const { history, run, batcher, perEpoch, total, guard, callbacks } = s;
  let stopReason: string | null = null;
  let stoppedBy: History['stoppedBy'] = 'completed';
  const stopAs = (by: History['stoppedBy']) => (reason: string) => {
    if (stopReason === null) [stopReason, stoppedBy] = [reason, by];
  };
  const stop = stopAs('callback');
  const progress = createProgress({
    mode: cfg.progress ?? 'auto',
    total,
    start: history.startStep,
    every: cfg.progressEvery,
    showEpoch: batcher !== null,
    write: cfg.progressWrite,
  });
  let lastYield = Date.now();
  try {
    for (let step = history.startStep; step < total && stopReason === null; step++) {
      const { r, epoch, lr } = runStep(cfg, s, step);
      record(history, r, lr);
      history.steps = step + 1;
      progress.update(step + 1, epoch, r.loss);
      const bad = guard ? findNonFinite(r) : null;
      if (bad && guard) {
        stopAs('nanGuard')(nonFiniteMessage(bad, step, batcher ? epoch : null, guard, history));
        break;
      }
      guard?.commit(step);
      for (const cb of callbacks) {
        await cb.onStepEnd?.({
          step,
          epoch,
          totalSteps: total,
          loss: r.loss,
          terms: r.terms ?? {},
          learningRate: lr,
          history,
          run,
          stop,
        });
      }
      for (const o of Object.values(run.optimizers)) {
        const why = o.stopRequest?.();
        if (why) stopAs('optimizer')(why);
      }
      if (cfg.signal?.aborted)
        stopAs('interrupted')(`interrupted after step ${step + 1} (${String(cfg.signal.reason ?? 'aborted')})`);
      if (batcher && step % perEpoch === perEpoch - 1) {
        // from the global history, so an epoch split by a checkpoint resume has the same mean
        const meanLoss = history.loss.slice(step + 1 - perEpoch, step + 1).reduce((a, b) => a + b, 0) / perEpoch;
        history.epochLoss.push(meanLoss);
        for (const cb of callbacks) await cb.onEpochEnd?.({ epoch, step: step + 1, meanLoss, history, run, stop });
      }
      if (Date.now() - lastYield > 100) {
        // let timers (the progress bar's redraw), signals and, in a page, rendering run during a long loop
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
  } finally {
    guard?.dispose();
  }
  history.stopReason = stopReason ?? 'completed';
  history.stoppedBy = stoppedBy;
  progress.stop(history.stopReason);
  for (const cb of callbacks) await cb.onTrainEnd?.(history, run);
  return history;
}

/** Everything a run needs, built once from the validated config (and the checkpoint, when resuming). */
interface RunSetup {
  readonly vars: tf.Variable[];
  readonly run: RunHandle;
  readonly batcher: Batcher | null;
  /** Batches per epoch (1 without data). */
  readonly perEpoch: number;
  /** Global step to stop at. */
  readonly total: number;
  readonly history: History;
  readonly guard: WeightGuard | null;
  readonly callbacks: Callback[];
}

function setUp(cfg: TrainConfig): RunSetup {
  const named = namedParams(cfg.params);
  const rng = cfg.rng ?? new Rng(0);
  const optimizers = { ...(cfg.optimizer ? { optimizer: cfg.optimizer } : {}), ...(cfg.optimizers ?? {}) };
  const batcher = cfg.data
    ? new Batcher(cfg.data, cfg.batchSize ?? Number.MAX_SAFE_INTEGER, cfg.shuffle ?? true, rng.fork())
    : null;
  const perEpoch = batcher?.batchesPerEpoch ?? 1;
  const run: RunHandle = {
    params: named,
    optimizers,
    rng,
    batchState: () => batcher?.getState() ?? null,
    config: describeRun(cfg),
  };
  // Checkpoints are folders: their code is the Node half of the package, loaded only when asked for.
  const history = cfg.resumeFrom
    ? requireNode('train: resumeFrom').resumeRun(cfg.resumeFrom, run, batcher)
    : emptyHistory();
  history.startStep = history.steps;
  history.stopReason = 'completed';
  history.stoppedBy = 'completed';
  const callbacks = [...(cfg.callbacks ?? [])];
  if (cfg.checkpoint) {
    const files = requireNode('train: checkpoint');
    const adopt =
      cfg.checkpoint.adopt ?? (cfg.resumeFrom !== undefined && files.samePath(cfg.resumeFrom, cfg.checkpoint.dir));
    const { every, everySeconds, state } = cfg.checkpoint;
    callbacks.push(files.checkpointCallback(cfg.checkpoint.dir, every, { adopt, everySeconds, state }));
  }
  const vars = named.map(([, v]) => v);
  return {
    vars,
    run,
    batcher,
    perEpoch,
    total: cfg.steps ?? cfg.epochs! * perEpoch,
    history,
    callbacks,
    guard: cfg.nanGuard === false ? null : new WeightGuard(vars),
  };
}

/** One step: schedule, batch, snapshot for the guard, the update itself; the batch is disposed after. */
function runStep(cfg: TrainConfig, s: RunSetup, step: number): { r: StepResult; epoch: number; lr: number } {
  const epoch = s.batcher ? Math.floor(step / s.perEpoch) : 0;
  const optimizers = Object.values(s.run.optimizers);
  if (cfg.schedule) for (const o of optimizers) o.learningRate = cfg.schedule(step);
  const lr = optimizers[0]?.learningRate ?? NaN;
  const batch = s.batcher?.batch(epoch, step % s.perEpoch);
  const ctx: StepContext = { step, epoch, batch, rng: s.run.rng };
  s.guard?.before();
  try {
    const r = cfg.customStep ? toResult(cfg.customStep(ctx)) : optimizerStep(cfg.optimizer!, cfg.loss!, ctx, s.vars);
    return { r, epoch, lr };
  } finally {
    if (batch && !s.batcher!.fullBatch) tf.dispose(Object.values(batch));
  }
}

/** The NaN guard's stop message; restores the last good weights as a side effect. */
function nonFiniteMessage(
  bad: { what: string; value: number },
  step: number,
  epoch: number | null,
  guard: WeightGuard,
  history: History,
): string {
  const hadGood = guard.restore();
  return (
    `non-finite ${bad.what} (${bad.value}) at step ${step}${epoch !== null ? ` (epoch ${epoch})` : ''}; ` +
    (hadGood
      ? `restored the weights of step ${guard.goodStep} (loss ${formatLoss(history.loss[guard.goodStep])})`
      : 'restored the weights this step started from (no earlier step had a finite loss)') +
    '. Lower the learning rate, or look for log, sqrt or division of non-positive values in that term.'
  );
}

/** Append one step's values to the history (terms first seen later are NaN-padded). */
export function record(history: History, r: StepResult, lr: number): void {
  const n = history.loss.length;
  history.loss.push(r.loss);
  history.learningRate.push(lr);
  for (const [k, v] of Object.entries(r.terms ?? {})) {
    (history.terms[k] ??= new Array<number>(n).fill(NaN)).push(v);
  }
  for (const k of Object.keys(history.terms)) if (history.terms[k].length === n) history.terms[k].push(NaN);
}

/** One turn of the event loop: setImmediate in Node, a zero-delay timer in a browser (which has no setImmediate). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((res) => (typeof setImmediate === 'function' ? setImmediate(res) : setTimeout(res, 0)));
}

/**
 * The trainer's side of checkpoints: a callback that writes every k steps (and at the end),
 * and resuming a run from a folder.
 */
import type { Batcher } from '../train/batches';
import type { Callback, RunHandle } from '../train/callback';
import type { History } from '../train/types';
import type { RunState } from './format';
import { CheckpointWriter, loadCheckpoint, readManifest, restoreCheckpoint } from './io';
import { check, positiveInt, positiveNumber } from '../validation/atoms';

/**
 * Write a checkpoint into `dir` every `every` steps, also after a step that ends `everySeconds` or
 * more after the last write (so a slow run loses at most that much to a crash), and when training
 * ends, except after the NaN guard (the last periodic checkpoint is the last good state). A folder holding another run's
 * checkpoint is refused, unless this run was resumed from it (`adopt`) or `overwrite`. `state` adds the
 * model's own state (collocation points, adaptive weights) to each checkpoint.
 *
 * @example
 *   callbacks: [checkpointCallback('results/heat/checkpoint', 500)]   // or train({ checkpoint: { dir, every } })
 */
export function checkpointCallback(
  dir: string,
  every: number,
  options: {
    adopt?: boolean;
    overwrite?: boolean;
    everySeconds?: number;
    now?: () => number;
    state?: () => RunState;
  } = {},
): Callback {
  check(positiveInt(), every, 'checkpoint: every');
  const { everySeconds, now = Date.now } = options;
  if (everySeconds !== undefined) check(positiveNumber(), everySeconds, 'checkpoint: everySeconds');
  let writer: CheckpointWriter | null = null;
  let lastWritten = -1;
  let lastTime = now();
  const write = (run: RunHandle, history: History) => {
    if (history.steps === lastWritten) return;
    writer ??= new CheckpointWriter(dir, options);
    writer.write({
      params: run.params,
      optimizers: run.optimizers,
      rng: run.rng,
      step: history.steps,
      history,
      batches: run.batchState(),
      config: run.config,
      extra: options.state?.(),
    });
    lastWritten = history.steps;
    lastTime = now();
  };
  return {
    onStepEnd: (s) => {
      const due = everySeconds !== undefined && now() - lastTime >= everySeconds * 1000;
      if ((s.step + 1) % every === 0 || due) write(s.run, s.history);
    },
    onTrainEnd: (history, run) => {
      if (history.stoppedBy !== 'nanGuard') write(run, history);
    },
  };
}

/**
 * Load `dir` into the run (weights, optimizers, RNG, batch position) and return its history,
 * whose `steps` is where training continues.
 */
export function resumeRun(dir: string, run: RunHandle, batcher: Batcher | null): History {
  if (!readManifest(dir)) throw new Error(`resumeFrom: no checkpoint in ${dir} (manifest.json missing)`);
  const ckpt = loadCheckpoint(dir);
  restoreCheckpoint(ckpt, run);
  if (batcher && ckpt.manifest.batches) batcher.setState(ckpt.manifest.batches);
  const h = ckpt.manifest.history;
  if (!h) throw new Error(`resumeFrom: checkpoint ${dir} has no history; it was not written by train()`);
  return { ...h, steps: ckpt.manifest.step };
}

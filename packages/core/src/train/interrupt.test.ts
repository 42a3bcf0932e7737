/**
 * Interrupting a run (`signal`) and time-based checkpoints (`checkpoint.everySeconds`): the hooks a CLI
 * needs so Ctrl-C saves the run and a crash loses at most a bounded wall time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { adam } from '../optim/adam';
import { readManifest } from '../checkpoint/io';
import { checkpointCallback } from '../checkpoint/run';
import { train } from './train';
import type { Callback } from './callback';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', quiet: true });
});

/** Minimise (w - 3)^2 from w = 0. */
const quadratic = (w: tf.Variable) => () => tf.square(tf.sub(w, 3)).sum() as tf.Scalar;

describe('train signal', () => {
  it('stops after the step in which the signal was aborted, writes the checkpoint, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-int-'));
    try {
      const w = tf.variable(tf.scalar(0));
      const ac = new AbortController();
      const abortAt: Callback = { onStepEnd: (s) => void (s.step === 6 ? ac.abort('SIGINT') : undefined) };
      const h = await train({
        params: { w },
        optimizer: adam({ learningRate: 0.1 }),
        loss: quadratic(w),
        steps: 100,
        progress: 'none',
        callbacks: [abortAt],
        signal: ac.signal,
        checkpoint: { dir, every: 50 },
      });
      expect(h.steps).toBe(7); // steps 0..6 ran, the seventh finished before the stop
      expect(h.loss).toHaveLength(7);
      expect(h.stoppedBy).toBe('interrupted');
      expect(h.stopReason).toBe('interrupted after step 7 (SIGINT)');
      expect(readManifest(dir)!.step).toBe(7);
      w.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a signal that is not an AbortSignal, naming the field', async () => {
    const w = tf.variable(tf.scalar(0));
    await expect(
      train({
        params: { w },
        optimizer: adam({}),
        loss: quadratic(w),
        steps: 1,
        progress: 'none',
        signal: {} as AbortSignal,
      }),
    ).rejects.toThrow(/signal must be an AbortSignal/);
    w.dispose();
  });
});

describe('checkpointCallback everySeconds', () => {
  it('writes when the clock passes everySeconds since the last write, besides every k steps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-ckt-'));
    try {
      let clock = 0;
      const w = tf.variable(tf.scalar(0));
      const written: number[] = [];
      const cb = checkpointCallback(dir, 1000, { everySeconds: 60, now: () => clock });
      // each step takes 25 s of fake time: writes after steps 3 (75 s), 6 (150 s), 9 ..., and at the end
      const tick: Callback = { onStepEnd: () => void (clock += 25_000) };
      const spy: Callback = { onStepEnd: () => void written.push(readManifest(dir)?.step ?? 0) };
      await train({
        params: { w },
        optimizer: adam({ learningRate: 0.1 }),
        loss: quadratic(w),
        steps: 8,
        progress: 'none',
        callbacks: [tick, cb, spy],
      });
      expect(written).toEqual([0, 0, 3, 3, 3, 6, 6, 6]);
      expect(readManifest(dir)!.step).toBe(8);
      expect(() => checkpointCallback(dir, 10, { everySeconds: 0 })).toThrow(
        'checkpoint: everySeconds must be a finite number > 0, got 0',
      );
      w.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { Rng } from '../random/rng';
import { Batcher } from './batches';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('Batcher', () => {
  it('copies the same rows as tf.gather of its permutation, for float32, int32 and bool data, and leaks nothing', () => {
    const rng = new Rng(3);
    const x = tf.tensor3d(rng.normalArray(10 * 3 * 2), [10, 3, 2]); // (N, 3, 2)
    const y = tf.tensor1d(
      Int32Array.from({ length: 10 }, (_, i) => i * 7),
      'int32',
    ); // (N)
    const flag = tf.tensor1d(
      Array.from({ length: 10 }, (_, i) => i % 3 === 0),
      'bool',
    ); // (N): the gather path
    const batcher = new Batcher({ x, y, flag }, 4, true, new Rng(5));
    const perm = new Rng(5).permutation(10); // the first epoch's order
    const before = tf.memory().numTensors;
    for (let b = 0; b < batcher.batchesPerEpoch; b++) {
      const got = batcher.batch(0, b);
      const idx = tf.tensor1d(perm.subarray(4 * b, Math.min(4 * b + 4, 10)), 'int32');
      for (const [k, t] of Object.entries({ x, y, flag })) {
        const want = tf.gather(t, idx);
        expect([k, got[k].dtype, got[k].shape]).toEqual([k, want.dtype, want.shape]);
        expect(Array.from(got[k].dataSync())).toEqual(Array.from(want.dataSync()));
        want.dispose();
      }
      tf.dispose([idx, ...Object.values(got)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    const last = batcher.batch(0, 2);
    expect(last.x.shape).toEqual([2, 3, 2]); // ceil(10/4) = 3 batches, the last one short
    tf.dispose(Object.values(last));
    tf.dispose([x, y, flag]);
  });
});

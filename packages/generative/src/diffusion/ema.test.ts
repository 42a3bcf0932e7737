import { expectNoLeak, initBackend, tf } from '@aml/core';
import { parameterEma } from './ema';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('parameterEma', () => {
  it('follows avg_k = p + decay^k (avg_0 - p) while the parameters stay at p', async () => {
    const w = tf.variable(tf.tensor1d([2, -4]));
    const ema = parameterEma([w], 0.9);
    w.assign(tf.tensor1d([1, 1]));
    ema.update(); // creates nothing that outlives the call
    await expectNoLeak(() => ema.update(), 'EMA update');
    for (let k = 0; k < 8; k++) ema.update();
    const d = 0.9 ** 10;
    const avg = ema.averages[0].dataSync();
    expect(avg[0]).toBeCloseTo(1 + d * (2 - 1), 5);
    expect(avg[1]).toBeCloseTo(1 + d * (-4 - 1), 5);
    // withAverages loads the averages, then restores the trained values
    const inside = await expectNoLeak(() => ema.withAverages(() => Array.from(w.dataSync())), 'withAverages', 0);
    expect(inside[0]).toBeCloseTo(avg[0], 6);
    expect(Array.from(w.dataSync())).toEqual([1, 1]);
    ema.dispose();
    w.dispose();
  });

  it('restores the parameters even when the function throws, and checks decay', () => {
    const w = tf.variable(tf.scalar(3));
    const ema = parameterEma([w], 0.5);
    w.assign(tf.scalar(5));
    expect(() =>
      ema.withAverages(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(w.dataSync()[0]).toBe(5);
    expect(() => parameterEma([w], 1)).toThrow('parameterEma: decay must be in [0, 1), got 1');
    ema.dispose();
    w.dispose();
  });
});

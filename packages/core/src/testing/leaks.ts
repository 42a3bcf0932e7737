/**
 * Test helpers for tfjs memory: a step that creates tensors outside `tf.tidy`
 * (or keeps them without disposing) leaks; these helpers make that a failing test.
 */
import { tf } from '../tf';

/**
 * Run `fn` (sync or async) and throw if it leaves tensors behind.
 *
 * @param fn       the step under test; it may return a value that holds no tensors.
 * @param what     name used in the error message.
 * @param allowed  tensors the step may legitimately keep (e.g. optimizer slots made on the first call).
 *
 * @example
 *   step(); // warm-up creates optimizer state
 *   await expectNoLeak(() => step(), 'adam step');
 */
export async function expectNoLeak<T>(fn: () => T | Promise<T>, what = 'step', allowed = 0): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  const after = tf.memory().numTensors;
  if (after - before > allowed) {
    throw new Error(`${what} leaked ${after - before - allowed} tensor(s): numTensors ${before} -> ${after}`);
  }
  return out;
}

/** Number of live tensors now (shorthand for tests). */
export function liveTensors(): number {
  return tf.memory().numTensors;
}

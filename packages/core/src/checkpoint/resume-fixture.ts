/**
 * Test fixture (not exported): a small seeded training run used by the checkpoint tests, both in the
 * jest process and in a fresh child process, so "train 20" and "train 10, save, load, train 10" can be compared.
 *
 * It exercises everything a resume must restore: weights, Adam's moments and step count, the
 * mini-batch shuffle position (resumed mid-epoch), and the run's Rng (noise drawn in the loss).
 */
import { tf } from '../tf';
import { adam } from '../optim/adam';
import { glorotUniform } from '../init/initializers';
import { Rng } from '../random/rng';
import { train } from '../train/train';
import type { History } from '../train/types';

/** Options of the fixture run. */
export interface FixtureRun {
  readonly steps: number;
  readonly checkpointDir?: string;
  readonly checkpointEvery?: number;
  readonly resumeFrom?: string;
}

/** Train a 2-8-1 tanh MLP on 24 points of sin(x0) cos(x1), batches of 7 (4 per epoch), with input noise. */
export async function runFixture(o: FixtureRun): Promise<History> {
  const rng = new Rng(1234);
  const params = {
    W1: tf.variable(glorotUniform([2, 8], rng)), // (2, 8)
    b1: tf.variable(tf.zeros([8])),
    W2: tf.variable(glorotUniform([8, 1], rng)), // (8, 1)
    b2: tf.variable(tf.zeros([1])),
  };
  const xs = rng.uniformArray(48, -1, 1);
  const x = tf.tensor2d(xs, [24, 2]); // (24, 2)
  const y = tf.tensor2d(
    Array.from({ length: 24 }, (_, i) => Math.sin(xs[2 * i]) * Math.cos(xs[2 * i + 1])),
    [24, 1],
  ); // (24, 1)
  const history = await train({
    params,
    optimizer: adam({ learningRate: 0.05 }),
    data: { x, y },
    batchSize: 7,
    steps: o.steps,
    rng,
    progress: 'none',
    loss: ({ batch, rng: r }) => {
      const xb = batch!.x.add(tf.randomNormal(batch!.x.shape, 0, 0.01, 'float32', r.seed())); // (B, 2)
      const h = xb.matMul(params.W1).add(params.b1).tanh(); // (B, 8)
      return tf.losses.meanSquaredError(batch!.y, h.matMul(params.W2).add(params.b2)) as tf.Scalar;
    },
    checkpoint: o.checkpointDir ? { dir: o.checkpointDir, every: o.checkpointEvery ?? 10 } : undefined,
    resumeFrom: o.resumeFrom,
  });
  tf.dispose([x, y, ...Object.values(params)]);
  return history;
}

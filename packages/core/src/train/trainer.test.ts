import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { expectNoLeak } from '../testing/leaks';
import { adam } from '../optim/adam';
import { sgd } from '../optim/sgd';
import { Rng } from '../random/rng';
import { stepDecay } from '../schedules/schedules';
import { earlyStopping } from './callbacks/early-stopping';
import { logging } from './callbacks/logging';
import { train } from './train';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('train: epochs and mini-batches', () => {
  it('visits every row once per epoch, in a seeded order that differs between epochs', async () => {
    const N = 10;
    const ids = tf.tensor2d(
      Array.from({ length: N }, (_, i) => i),
      [N, 1],
    ); // (N, 1) row ids
    const seen: number[][] = [];
    const run = (seed: number) =>
      train({
        params: [],
        data: { ids },
        batchSize: 4,
        epochs: 3,
        rng: new Rng(seed),
        progress: 'none',
        customStep: ({ batch, epoch }) => {
          (seen[epoch] ??= []).push(...Array.from(batch!.ids.dataSync()));
          return batch!.ids.shape[0];
        },
      });
    const h = await run(7);
    expect(h.loss).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]); // ceil(10/4) = 3 batches per epoch, last one short
    expect(h.epochLoss).toEqual([10 / 3, 10 / 3, 10 / 3]);
    for (const ep of seen) expect([...ep].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(seen[0]).not.toEqual(seen[1]);
    const first = seen.map((s) => [...s]);
    seen.length = 0;
    await run(7);
    expect(seen).toEqual(first); // same seed, same batches
    ids.dispose();
  });

  it('steps mode cycles through the data in order without shuffle; the last batch of an epoch is short', async () => {
    const ids = tf.tensor2d([0, 1, 2, 3, 4], [5, 1]);
    const got: number[][] = [];
    const h = await train({
      params: [],
      data: { ids },
      batchSize: 2,
      steps: 7,
      shuffle: false,
      progress: 'none',
      customStep: ({ batch, epoch }) => {
        got.push([epoch, ...Array.from(batch!.ids.dataSync())]);
        return 0;
      },
    });
    expect(got).toEqual([
      [0, 0, 1],
      [0, 2, 3],
      [0, 4],
      [1, 0, 1],
      [1, 2, 3],
      [1, 4],
      [2, 0, 1],
    ]);
    expect(h.epochLoss).toEqual([0, 0]);
    ids.dispose();
  });

  it('mini-batch SGD on linear regression converges, and a 100-step epoch run leaks nothing', async () => {
    const rng = new Rng(2);
    const N = 200;
    const x = tf.tensor2d(rng.normalArray(N * 2), [N, 2]); // (N, 2)
    const y = x.matMul(tf.tensor2d([[2], [-3]])).add(0.5); // (N, 1)
    const w = tf.variable(tf.zeros([2, 1])),
      b = tf.variable(tf.zeros([1]));
    const opt = sgd({ learningRate: 0.1 });
    const cfg = {
      params: { w, b },
      optimizer: opt,
      data: { x, y },
      batchSize: 20,
      epochs: 10,
      rng,
      progress: 'none' as const,
      loss: ({ batch }: { batch?: Readonly<Record<string, tf.Tensor>> }) =>
        tf.losses.meanSquaredError(batch!.y, batch!.x.matMul(w).add(b)) as tf.Scalar,
    };
    const h = await expectNoLeak(() => train(cfg), '100-step mini-batch train'); // 10 epochs x 10 batches
    expect(h.loss).toHaveLength(100);
    expect(h.epochLoss[9]).toBeLessThan(1e-6);
    expect(Array.from(w.dataSync()).map((v) => +v.toFixed(3))).toEqual([2, -3]);
    expect(b.dataSync()[0]).toBeCloseTo(0.5, 3);
    tf.dispose([x, y, w, b]);
  });
});

describe('train: schedule, callbacks, progress', () => {
  it('assigns the schedule to the optimizer at every step and records it', async () => {
    const w = tf.variable(tf.scalar(1));
    const h = await train({
      params: [w],
      optimizer: sgd({ learningRate: 123 }),
      steps: 7,
      progress: 'none',
      schedule: stepDecay({ initial: 0.1, factor: 0.5, every: 3 }),
      loss: () => w.square() as tf.Scalar,
    });
    expect(h.learningRate).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
    // w_{t+1} = w_t (1 - 2 lr_t)
    const want = h.learningRate.reduce((acc, lr) => acc * (1 - 2 * lr), 1);
    expect(w.dataSync()[0]).toBeCloseTo(want, 6);
    w.dispose();
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const ids = tf.zeros([4, 1]);
    const w = tf.variable(tf.scalar(0));
    const losses = [5, 4, 3, 3.5, 3.2, 3.1, 2.9]; // best at epoch 2, then 3 epochs without improvement
    const h = await train({
      params: { w },
      data: { ids },
      epochs: 7,
      progress: 'none',
      customStep: ({ epoch }) => {
        w.assign(tf.scalar(epoch));
        return losses[epoch];
      },
      callbacks: [earlyStopping({ patience: 3, restoreBest: true })],
    });
    expect(h.epochLoss).toEqual([5, 4, 3, 3.5, 3.2, 3.1]);
    expect(h.stopReason).toBe('early stopping: no improvement > 0 for 3 epochs (best loss 3.000e+0 at epoch 2)');
    expect(h.stoppedBy).toBe('callback');
    expect(w.dataSync()[0]).toBe(2); // weights at the end of epoch 2
    tf.dispose([ids, w]);
  });

  it('early stopping can watch another value (a validation loss) and names it', async () => {
    const ids = tf.zeros([2, 1]);
    const val = [3, 2, 2.5, 2.1, 2.2];
    let epoch = -1;
    const h = await train({
      params: [],
      data: { ids },
      epochs: 10,
      progress: 'none',
      customStep: () => 1, // the training loss never changes; the validation loss decides
      callbacks: [
        {
          onEpochEnd: (e) => {
            epoch = e.epoch;
          },
        },
        earlyStopping({ patience: 3, name: 'val loss', value: () => val[epoch] }),
      ],
    });
    expect(h.epochLoss).toHaveLength(5);
    expect(h.stopReason).toBe('early stopping: no improvement > 0 for 3 epochs (best val loss 2.000e+0 at epoch 1)');
    ids.dispose();
  });

  it('plain progress lines with loss and ETA when not on a TTY; logging callback lines', async () => {
    const lines: string[] = [],
      log: string[] = [];
    let t = 0;
    await train({
      params: [],
      steps: 10,
      progress: 'lines',
      progressEvery: 5,
      progressWrite: (l) => lines.push(l),
      customStep: ({ step }) => {
        t += 1;
        return { loss: 1 / (step + 1), terms: { a: step } };
      },
      callbacks: [logging({ every: 5, write: (l) => log.push(l) })],
    });
    expect(lines[0]).toMatch(/^step 5\/10 loss 2\.00e-1 eta \d+s$/);
    expect(lines[1]).toMatch(/^step 10\/10 loss 1\.00e-1 eta 0s$/);
    expect(lines[2]).toMatch(/^stopped at step 10\/10: completed \(\d+s\)$/);
    expect(log[0]).toBe('step 5 epoch 0 loss 2.0000e-1 lr NaN a 4.0000e+0');
    expect(log.at(-1)).toBe('end at step 10: completed');
  });
});

describe('train: NaN guard', () => {
  it('stops at the first non-finite term, names step and term, and restores the last good weights', async () => {
    // loss = (w - 3)^2 + log(w): SGD with a big step overshoots to w < 0, where log(w) is NaN.
    const w = tf.variable(tf.scalar(1));
    const seen: number[] = [];
    const h = await train({
      params: { w },
      optimizer: sgd({ learningRate: 2 }),
      steps: 50,
      progress: 'none',
      loss: () => {
        const fit = w.sub(3).square() as tf.Scalar,
          barrier = w.log() as tf.Scalar;
        return { loss: fit.add(barrier), terms: { fit, barrier } };
      },
      callbacks: [
        {
          onStepEnd: () => {
            seen.push(w.dataSync()[0]);
          },
        },
      ],
    });
    // step 0 at w = 1: g = 2(1-3) + 1 = -3, w -> 7; step 1 at w = 7 (loss 16 + ln 7 = 17.9): g = 8 + 1/7, w -> -9.29; step 2: log(-9.29) = NaN
    expect(h.steps).toBe(3);
    expect(h.stoppedBy).toBe('nanGuard');
    expect(h.stopReason).toMatch(
      /^non-finite term 'barrier' \(NaN\) at step 2; restored the weights of step 1 \(loss 1\.79e\+1\)/,
    );
    expect(h.loss[2]).toBeNaN();
    expect(w.dataSync()[0]).toBeCloseTo(7, 5); // the weights step 1 was evaluated at (finite loss)
    expect(seen).toHaveLength(2); // callbacks (and checkpoints) never see the bad step
    w.dispose();
  });

  it('leaves no tensors behind when it fires', async () => {
    const w = tf.variable(tf.scalar(1));
    const opt = adam({ learningRate: 10 });
    opt.minimize(() => w.square() as tf.Scalar, [w]);
    await expectNoLeak(
      () =>
        train({ params: [w], optimizer: opt, steps: 5, progress: 'none', loss: () => w.sub(20).log() as tf.Scalar }),
      'nan guard',
    );
    w.dispose();
    opt.dispose();
  });
});

describe('train: config validation', () => {
  // built lazily: tensors must not be made before initBackend has run
  let w: tf.Variable;
  const loss = () => w.square() as tf.Scalar;
  beforeAll(() => {
    w = tf.variable(tf.scalar(0));
  });
  afterAll(() => w.dispose());
  it.each<[string, () => object, string]>([
    [
      'negative steps',
      () => ({ params: [w], optimizer: adam(), loss, steps: -1 }),
      'steps must be an integer >= 0, got -1\n  → at steps',
    ],
    ['a typo', () => ({ params: [w], optimizer: adam(), loss, steps: 5, stesp: 1 }), 'Unrecognized key: "stesp"'],
    [
      'no optimizer',
      () => ({ params: [w], loss, steps: 5 }),
      'optimizer is required with loss (or give customStep)\n  → at optimizer',
    ],
    ['no loss', () => ({ params: [w], optimizer: adam(), steps: 5 }), 'give exactly one of loss and customStep'],
    ['no length', () => ({ params: [w], optimizer: adam(), loss }), 'give exactly one of steps and epochs'],
    [
      'epochs without data',
      () => ({ params: [w], optimizer: adam(), loss, epochs: 2 }),
      'epochs needs data; without data use steps',
    ],
    [
      'unknown progress',
      () => ({ params: [w], optimizer: adam(), loss, steps: 2, progress: 'fancy' }),
      '→ at progress',
    ],
    [
      'not an optimizer',
      () => ({ params: [w], optimizer: { name: 'x' }, loss, steps: 2 }),
      'must be an Optimizer (adam(), sgd(), lbfgs(), ...)\n  → at optimizer',
    ],
    [
      'a tensor as param',
      () => ({ params: { a: tf.keep(w.clone()) }, optimizer: adam(), loss, steps: 2 }),
      'must be a tf.Variable (wrap it: tf.variable(t)), got a tf.Tensor\n  → at params.a',
    ],
    [
      'bad batchSize',
      () => ({ params: [w], optimizer: adam(), loss, steps: 2, batchSize: 2.5 }),
      'batchSize must be a positive integer, got 2.5',
    ],
  ])('rejects %s', async (_name, cfg, msg) => {
    await expect(train(cfg() as never)).rejects.toThrow(msg);
  });

  it('mismatched data rows name both tensors', async () => {
    const a = tf.zeros([5, 2]),
      b = tf.zeros([4, 1]);
    await expect(
      train({ params: [w], optimizer: adam(), loss, data: { a, b }, batchSize: 2, epochs: 1 }),
    ).rejects.toThrow(
      'train: data tensors must share their first dimension: data.a has 5 rows, data.b has 4 (shape [4,1])',
    );
    tf.dispose([a, b]);
  });
});

import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { accuracy, confusionMatrix, f1, perClassScores, precision, recall } from './classification';
import { mae, mse, r2, relativeL2, rmse } from './regression';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('classification metrics (hand-computed)', () => {
  // true:  1 0 1 1 0 1 0 0 ; pred: 1 1 0 1 0 1 1 0  -> TP 3, FP 2, FN 1, TN 2
  const t = [1, 0, 1, 1, 0, 1, 0, 0];
  const p = [1, 1, 0, 1, 0, 1, 1, 0];

  it('binary accuracy, precision, recall, F1', () => {
    expect(accuracy(t, p)).toBe(5 / 8);
    expect(precision(t, p)).toBe(3 / 5);
    expect(recall(t, p)).toBe(3 / 4);
    expect(f1(t, p)).toBeCloseTo((2 * 0.6 * 0.75) / 1.35, 15);
    // the other class as positive: TP 2, FP 1, FN 2
    expect(precision(t, p, { positive: 0 })).toBeCloseTo(2 / 3, 15);
    expect(recall(t, p, { positive: 0 })).toBe(2 / 4);
  });

  it('confusion matrix: rows are true classes, columns predictions', () => {
    expect(confusionMatrix(t, p)).toEqual([
      [2, 2],
      [1, 3],
    ]);
    expect(confusionMatrix([0, 2, 2, 1], [0, 2, 1, 1])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    expect(confusionMatrix([0], [0], 3)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('macro averages over classes; a class never predicted scores 0', () => {
    const yt = [0, 0, 1, 1, 2, 2],
      yp = [0, 1, 1, 1, 0, 0];
    // class 0: P 1/3, R 1/2; class 1: P 2/3, R 1; class 2: P 0 (never predicted), R 0
    expect(precision(yt, yp, { average: 'macro' })).toBeCloseTo((1 / 3 + 2 / 3 + 0) / 3, 15);
    expect(recall(yt, yp, { average: 'macro' })).toBeCloseTo((1 / 2 + 1 + 0) / 3, 15);
    const f = [(2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2), (2 * (2 / 3)) / (2 / 3 + 1), 0];
    expect(f1(yt, yp, { average: 'macro' })).toBeCloseTo((f[0] + f[1] + f[2]) / 3, 15);
    expect(perClassScores([[5]]).f1).toEqual([1]);
  });

  it('accepts tensors and (N, C) scores (arg-max)', () => {
    const logits = tf.tensor2d([
      [2, 1, 0],
      [0, 3, 1],
      [0, 0, 1],
      [5, 0, 0],
    ]); // -> 0, 1, 2, 0
    const labels = tf.tensor1d([0, 1, 1, 0], 'int32');
    expect(accuracy(labels, logits)).toBe(0.75);
    const before = tf.memory().numTensors;
    f1(labels, logits, { average: 'macro' });
    expect(tf.memory().numTensors).toBe(before);
    expect(
      accuracy(
        [0, 1, 1, 0],
        [
          [0.9, 0.1, 0],
          [0.2, 0.7, 0.1],
          [0.1, 0.2, 0.7],
          [1, 0, 0],
        ],
      ),
    ).toBe(0.75);
    tf.dispose([logits, labels]);
  });

  it('bad input names the problem', () => {
    expect(() => accuracy([0, 1, 1], [0, 1])).toThrow('accuracy: yTrue has 3 values but yPred has 2; they must match');
    expect(() => precision([0.5, 1], [0, 1])).toThrow(
      'precision: yTrue[0] = 0.5 is not a class label (a non-negative integer)',
    );
    expect(() => f1([0, 1], [0, 1], { average: 'micro' as never })).toThrow(
      "f1: average must be 'binary' or 'macro', got \"micro\"",
    );
    expect(() => confusionMatrix([0, 3], [0, 1], 2)).toThrow('confusionMatrix: label 3 at index 1 is >= numClasses 2');
    expect(() => accuracy([], [])).toThrow('accuracy: yTrue and yPred are empty');
  });
});

describe('regression metrics (hand-computed)', () => {
  it('mse, rmse, mae, r2, relativeL2', () => {
    expect(mse([1, 2, 3], [1, 2, 5])).toBeCloseTo(4 / 3, 15);
    expect(rmse([0, 0], [3, 4])).toBeCloseTo(Math.sqrt(12.5), 15);
    expect(mae([1, 2, 3], [2, 2, 1])).toBe(1);
    expect(r2([1, 2, 3], [1, 2, 4])).toBeCloseTo(0.5, 15); // SS_res 1, SS_tot 2
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 2])).toBe(0);
    expect(relativeL2([3, 4], [3, 5])).toBeCloseTo(0.2, 15);
  });

  it('tensors of any shape are flattened; float64 accumulation', () => {
    const a = tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      b = tf.tensor2d([
        [1, 2],
        [3, 6],
      ]);
    expect(mse(a, b)).toBe(1);
    expect(relativeL2(a, b)).toBeCloseTo(2 / Math.sqrt(30), 7);
    expect(
      mae(
        [
          [1, 2],
          [3, 4],
        ],
        [1, 2, 3, 6],
      ),
    ).toBe(0.5);
    tf.dispose([a, b]);
    // 1e6 values of 0.1 vs 0.1 + 1e-4: a float32 running sum would drift; float64 keeps 1e-8
    const n = 1_000_000,
      x = new Float64Array(n).fill(0.1),
      y = new Float64Array(n).fill(0.1 + 1e-4);
    expect(mse(x, y)).toBeCloseTo(1e-8, 18);
  });

  it('mismatched lengths and a zero reference fail clearly', () => {
    expect(() => mse([1, 2], [1])).toThrow('mse: yTrue has 2 values but yPred has 1; they must match');
    expect(() => relativeL2([0, 0], [1, 0])).toThrow(
      'relativeL2: yTrue is all zeros, so the relative error is undefined; use rmse or mae',
    );
  });
});

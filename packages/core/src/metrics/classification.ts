/**
 * Classification metrics from true and predicted labels: accuracy, confusion matrix,
 * precision, recall and F1 (binary for one positive class, or macro-averaged over classes).
 * Conventions follow scikit-learn: a class never predicted has precision 0, never present recall 0.
 */
import { sameLength, toLabels, type Values } from './inputs';

/** Averaging for precision / recall / F1. */
export interface AverageOptions {
  /** 'binary': the `positive` class only (default); 'macro': unweighted mean over classes. */
  readonly average?: 'binary' | 'macro';
  /** The positive class for 'binary' (default 1). */
  readonly positive?: number;
  /** Number of classes for 'macro' (default: 1 + the largest label seen). */
  readonly numClasses?: number;
}

function labels(who: string, yTrue: Values, yPred: Values): [Int32Array, Int32Array] {
  const t = toLabels(yTrue, who, 'yTrue'),
    p = toLabels(yPred, who, 'yPred');
  sameLength(who, t, p);
  return [t, p];
}

/**
 * Fraction of predictions equal to the true label.
 * @example accuracy([0, 1, 1, 2], [0, 1, 2, 2]) // 0.75;  accuracy(yTrue, logits) with logits (N, C) uses arg-max
 */
export function accuracy(yTrue: Values, yPred: Values): number {
  const [t, p] = labels('accuracy', yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hit++;
  return hit / t.length;
}

/**
 * Confusion matrix C (K, K): C[i][j] = number of examples of true class i predicted as j.
 * @example confusionMatrix([0, 1, 1], [0, 0, 1]) // [[1, 0], [1, 1]]
 */
export function confusionMatrix(yTrue: Values, yPred: Values, numClasses?: number): number[][] {
  const [t, p] = labels('confusionMatrix', yTrue, yPred);
  let k = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < t.length; i++) k = Math.max(k, t[i] + 1, p[i] + 1);
  const C = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= k || p[i] >= k)
      throw new Error(`confusionMatrix: label ${Math.max(t[i], p[i])} at index ${i} is >= numClasses ${k}`);
    C[t[i]][p[i]]++;
  }
  return C;
}

/** Per-class precision, recall, F1 (length K) from a confusion matrix. */
export function perClassScores(C: number[][]): { precision: number[]; recall: number[]; f1: number[] } {
  const k = C.length;
  const precision: number[] = [],
    recall: number[] = [],
    f1: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = C[c][c];
    let predicted = 0,
      actual = 0;
    for (let i = 0; i < k; i++) {
      predicted += C[i][c];
      actual += C[c][i];
    }
    const p = predicted > 0 ? tp / predicted : 0;
    const r = actual > 0 ? tp / actual : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
  }
  return { precision, recall, f1 };
}

function score(
  who: string,
  which: 'precision' | 'recall' | 'f1',
  yTrue: Values,
  yPred: Values,
  o: AverageOptions,
): number {
  const average = o.average ?? 'binary';
  const [t, p] = labels(who, yTrue, yPred);
  if (average === 'binary') {
    const pos = o.positive ?? 1;
    // binary: one-vs-rest counts for the positive class
    let tp = 0,
      fp = 0,
      fn = 0;
    for (let i = 0; i < t.length; i++) {
      if (p[i] === pos && t[i] === pos) tp++;
      else if (p[i] === pos) fp++;
      else if (t[i] === pos) fn++;
    }
    const prec = tp + fp > 0 ? tp / (tp + fp) : 0;
    const rec = tp + fn > 0 ? tp / (tp + fn) : 0;
    if (which === 'precision') return prec;
    if (which === 'recall') return rec;
    return prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
  }
  if (average !== 'macro')
    throw new Error(`${who}: average must be 'binary' or 'macro', got ${JSON.stringify(average)}`);
  const s = perClassScores(confusionMatrix(t, p, o.numClasses))[which];
  return s.reduce((a, b) => a + b, 0) / s.length;
}

/**
 * Precision TP / (TP + FP).
 * @example precision([1, 0, 1, 1], [1, 1, 0, 1]) // 2/3;  precision(t, p, { average: 'macro' })
 */
export function precision(yTrue: Values, yPred: Values, options: AverageOptions = {}): number {
  return score('precision', 'precision', yTrue, yPred, options);
}

/** Recall TP / (TP + FN). @example recall([1, 0, 1, 1], [1, 1, 0, 1]) // 2/3 */
export function recall(yTrue: Values, yPred: Values, options: AverageOptions = {}): number {
  return score('recall', 'recall', yTrue, yPred, options);
}

/** F1 = 2 P R / (P + R) (macro: the mean of the per-class F1). @example f1([1, 0, 1, 1], [1, 1, 0, 1]) // 2/3 */
export function f1(yTrue: Values, yPred: Values, options: AverageOptions = {}): number {
  return score('f1', 'f1', yTrue, yPred, options);
}

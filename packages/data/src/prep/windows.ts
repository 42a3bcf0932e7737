import { check, positiveInt } from '@aml/core';

/** Options of `timeWindows`. */
export interface WindowOptions {
  /** Input steps per sample (the look-back), >= 1. */
  readonly window: number;
  /** Steps ahead to predict, >= 1 (default 1). */
  readonly horizon?: number;
  /** Steps between consecutive windows (default 1). */
  readonly stride?: number;
  /** Which of the d features are targets (default all). */
  readonly targets?: readonly number[];
}

/** Sliding windows of a multivariate series. */
export interface Windows {
  /** Inputs, row-major (N, window, d). */
  readonly x: Float64Array;
  /** Targets, row-major (N, horizon, t) with t = targets.length. */
  readonly y: Float64Array;
  /** Number of windows N. */
  readonly n: number;
  /** Index of the first target step of each window, length N (to place forecasts on the time axis). */
  readonly targetIndex: Int32Array;
}

/**
 * Cut a series (T, d) (row-major, time in rows) into supervised windows: x = rows [s, s + window),
 * y = rows [s + window, s + window + horizon) of the target features. No window looks past the end.
 *
 * @example
 *   // series 0..9, window 3, horizon 1: x = [0,1,2] -> y = [3], ..., x = [6,7,8] -> y = [9]
 *   timeWindows(Float64Array.from({ length: 10 }, (_, i) => i), 10, 1, { window: 3 })
 */
export function timeWindows(series: ArrayLike<number>, T: number, d: number, o: WindowOptions): Windows {
  const horizon = o.horizon ?? 1;
  const stride = o.stride ?? 1;
  const targets = o.targets ?? Array.from({ length: d }, (_, j) => j);
  if (series.length !== T * d)
    throw new Error(`timeWindows: series has ${series.length} values but T * d = ${T} * ${d}`);
  for (const [name, v] of [
    ['window', o.window],
    ['horizon', horizon],
    ['stride', stride],
  ] as const) {
    check(positiveInt(), v, `timeWindows: ${name}`);
  }
  for (const j of targets)
    if (!Number.isInteger(j) || j < 0 || j >= d)
      throw new Error(`timeWindows: target feature ${j} is outside 0..${d - 1}`);
  const span = o.window + horizon;
  if (span > T) throw new Error(`timeWindows: window + horizon = ${span} exceeds the series length ${T}`);
  const n = Math.floor((T - span) / stride) + 1;
  const tn = targets.length;
  const x = new Float64Array(n * o.window * d);
  const y = new Float64Array(n * horizon * tn);
  const targetIndex = new Int32Array(n);
  for (let w = 0; w < n; w++) {
    const s = w * stride;
    for (let k = 0; k < o.window * d; k++) x[w * o.window * d + k] = series[s * d + k];
    for (let h = 0; h < horizon; h++) {
      for (let q = 0; q < tn; q++) y[(w * horizon + h) * tn + q] = series[(s + o.window + h) * d + targets[q]];
    }
    targetIndex[w] = s + o.window;
  }
  return { x, y, n, targetIndex };
}

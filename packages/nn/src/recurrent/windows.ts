/**
 * Sliding-window datasets from a time series, and one-step / recursive multi-step forecasts.
 */
import { check, positiveInt, tf } from '@aml/core';
import type { Layer } from '../layers/layer';

/** Windows of a series: inputs (N, window, F) and the next `horizon` values (N, horizon, F). */
export interface Windows {
  /** Inputs, row-major (N, window, F). */
  readonly x: Float32Array;
  /** Targets, row-major (N, horizon, F). */
  readonly y: Float32Array;
  readonly n: number;
  readonly window: number;
  readonly horizon: number;
  readonly features: number;
}

/**
 * Cut a series (length T, F features per step, row-major) into windows of `window` steps, each
 * followed by `horizon` target steps, starting every `stride` steps.
 * N = floor((T - window - horizon) / stride) + 1.
 *
 * @example slidingWindows([1, 2, 3, 4, 5], { window: 3 }) // x [[1,2,3],[2,3,4]], y [[4],[5]]
 */
export function slidingWindows(
  series: ArrayLike<number>,
  o: { window: number; horizon?: number; stride?: number; features?: number },
): Windows {
  const F = o.features ?? 1;
  const h = o.horizon ?? 1;
  const s = o.stride ?? 1;
  if (series.length % F)
    throw new Error(`slidingWindows: series length ${series.length} is not a multiple of features ${F}`);
  const T = series.length / F;
  check(positiveInt(), o.window, 'slidingWindows: window');
  if (T < o.window + h)
    throw new Error(`slidingWindows: series of ${T} steps is shorter than window ${o.window} + horizon ${h}`);
  const n = Math.floor((T - o.window - h) / s) + 1;
  const x = new Float32Array(n * o.window * F);
  const y = new Float32Array(n * h * F);
  for (let i = 0; i < n; i++) {
    const t0 = i * s;
    for (let k = 0; k < o.window * F; k++) x[i * o.window * F + k] = series[t0 * F + k];
    for (let k = 0; k < h * F; k++) y[i * h * F + k] = series[(t0 + o.window) * F + k];
  }
  return { x, y, n, window: o.window, horizon: h, features: F };
}

/** Tensors of a windows set: x (N, window, F), y (N, horizon*F) (flattened for a dense head). */
export function windowTensors(w: Windows): { x: tf.Tensor3D; y: tf.Tensor2D } {
  return { x: tf.tensor3d(w.x, [w.n, w.window, w.features]), y: tf.tensor2d(w.y, [w.n, w.horizon * w.features]) };
}

/**
 * Recursive (autoregressive) forecast: feed the model's one-step prediction back as the newest
 * input, `steps` times. `model` maps (1, window, F) -> (1, F); `seed` is the last window (window*F values).
 * Returns (steps, F) row-major.
 */
export function forecastRecursive(
  model: Layer,
  seed: ArrayLike<number>,
  window: number,
  steps: number,
  features = 1,
): Float32Array {
  if (seed.length !== window * features)
    throw new Error(
      `forecastRecursive: seed has ${seed.length} values, expected window*features = ${window * features}`,
    );
  const buf = Float32Array.from(seed);
  const out = new Float32Array(steps * features);
  for (let t = 0; t < steps; t++) {
    const next = tf.tidy(() => model.apply(tf.tensor3d(buf, [1, window, features])).dataSync());
    if (next.length !== features)
      throw new Error(`forecastRecursive: model returned ${next.length} values per step, expected ${features}`);
    out.set(next, t * features);
    buf.copyWithin(0, features);
    buf.set(next, (window - 1) * features);
  }
  return out;
}

/**
 * Metric inputs: plain arrays or tensors, read once into float64 on the JS side
 * (metrics are evaluation-time numbers; double precision avoids float32 sums over many points).
 */
import { tf } from '../tf';

/** Values: a number array (any nesting), a typed array or a tensor of any shape (flattened row-major). */
export type Values = tf.Tensor | ArrayLike<number> | ReadonlyArray<ReadonlyArray<number>>;

/** Flatten values to a Float64Array. */
export function toFloat64(v: Values): Float64Array {
  if (v instanceof tf.Tensor) return Float64Array.from(v.dataSync());
  const a = v as ArrayLike<unknown>;
  if (a.length > 0 && typeof a[0] === 'object') return Float64Array.from((v as number[][]).flat());
  return Float64Array.from(v as ArrayLike<number>);
}

/**
 * Class labels: a (N,) array/tensor of integers, or (N, C) scores/probabilities/one-hot (arg-max per row).
 */
export function toLabels(v: Values, who: string, field: string): Int32Array {
  if (v instanceof tf.Tensor) {
    if (v.rank === 2) {
      const idx = tf.argMax(v, 1); // (N,)
      const out = Int32Array.from(idx.dataSync());
      idx.dispose();
      return out;
    }
    if (v.rank !== 1) throw new Error(`${who}: ${field} must be (N,) labels or (N, C) scores, got shape [${v.shape}]`);
    return checkInts(Float64Array.from(v.dataSync()), who, field);
  }
  const a = v as ArrayLike<unknown>;
  if (a.length > 0 && typeof a[0] === 'object') {
    const rows = v as ReadonlyArray<ReadonlyArray<number>>;
    return Int32Array.from(rows, (r) => r.reduce((best, x, j) => (x > r[best] ? j : best), 0));
  }
  return checkInts(Float64Array.from(v as ArrayLike<number>), who, field);
}

function checkInts(x: Float64Array, who: string, field: string): Int32Array {
  const i = x.findIndex((e) => !Number.isInteger(e) || e < 0);
  if (i >= 0) throw new Error(`${who}: ${field}[${i}] = ${x[i]} is not a class label (a non-negative integer)`);
  return Int32Array.from(x);
}

/** Throw when the two inputs differ in length, naming both. */
export function sameLength(who: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new Error(`${who}: yTrue has ${a.length} values but yPred has ${b.length}; they must match`);
  if (a.length === 0) throw new Error(`${who}: yTrue and yPred are empty`);
}

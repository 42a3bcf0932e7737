/**
 * A list of tf.Variables seen as one float64 vector, so that L-BFGS's two-loop recursion runs on the
 * JS side in double precision while the loss and gradient are computed by tfjs.
 */
import { tf } from '../../tf';
import type { Objective } from './minimize';

/** Total number of scalars in `vars`. */
export function flatSize(vars: readonly tf.Variable[]): number {
  return vars.reduce((n, v) => n + v.size, 0);
}

/** Concatenate the variables' values (row-major, in order) into one vector. */
export function flattenVars(vars: readonly tf.Variable[]): Float64Array {
  const out = new Float64Array(flatSize(vars));
  let off = 0;
  for (const v of vars) {
    out.set(v.dataSync() as Float32Array, off);
    off += v.size;
  }
  return out;
}

/** Write a flat vector back into the variables (rounded to float32). */
export function assignFlat(vars: readonly tf.Variable[], x: Float64Array): void {
  let off = 0;
  for (const v of vars) {
    const t = tf.tensor(Float32Array.from(x.subarray(off, off + v.size)), v.shape, 'float32');
    v.assign(t);
    t.dispose();
    off += v.size;
  }
}

/**
 * Loss and flat gradient at the variables' current values, in one tf.tidy (nothing leaks).
 * A variable the loss does not depend on gets a zero gradient.
 */
export function lossAndFlatGrad(loss: () => tf.Scalar, vars: readonly tf.Variable[]): { f: number; g: Float64Array } {
  const [value, flat] = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, vars as tf.Variable[]);
    const parts = vars.map((v) => (grads[v.name] ?? tf.zerosLike(v)).reshape([-1])); // each (size_i,)
    return [value, tf.concat(parts)]; // (sum size_i,)
  });
  const f = value.dataSync()[0];
  const g = Float64Array.from(flat.dataSync());
  tf.dispose([value, flat]);
  return { f, g };
}

/** The objective x -> (loss, gradient) over `vars`: assigns x, then evaluates. */
export function flatObjective(loss: () => tf.Scalar, vars: readonly tf.Variable[]): Objective {
  return (x) => {
    assignFlat(vars, x);
    return lossAndFlatGrad(loss, vars);
  };
}

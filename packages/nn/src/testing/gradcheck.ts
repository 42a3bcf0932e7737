/**
 * Finite-difference check of tfjs gradients for tests: compares d loss / d v from
 * `tf.variableGrads` with central differences (f(v+h) - f(v-h)) / 2h at a few entries.
 */
import { tf, Rng } from '@aml/core';

/** Result: the worst error, relative to max(|analytic|, |numeric|, scale). */
export interface GradCheck {
  readonly maxRelError: number;
  readonly checked: number;
}

/**
 * @param loss     closure returning a scalar (it must be deterministic: no dropout in training mode).
 * @param vars     variables to perturb.
 * @param h        step (float32 arithmetic: 1e-2..1e-3 is the useful range).
 * @param samples  entries checked per variable (chosen with a seeded Rng).
 * @param scale    floor of the error's denominator, so tiny gradients do not blow the ratio up.
 */
export function gradCheck(
  loss: () => tf.Scalar,
  vars: readonly tf.Variable[],
  h = 1e-2,
  samples = 6,
  scale = 1e-2,
): GradCheck {
  const rng = new Rng(123);
  const analytic = tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, vars as tf.Variable[]);
    return vars.map((v) => (grads[v.name] ? grads[v.name].dataSync().slice() : new Float32Array(v.size)));
  });
  let worst = 0;
  let checked = 0;
  vars.forEach((v, k) => {
    const base = v.dataSync().slice() as Float32Array;
    const n = Math.min(samples, v.size);
    const idx =
      v.size <= samples
        ? Array.from({ length: v.size }, (_, i) => i)
        : Array.from({ length: n }, () => rng.int(v.size));
    for (const i of idx) {
      const f = (d: number) => {
        const w = base.slice();
        w[i] += d;
        v.assign(tf.tensor(w, v.shape));
        return tf.tidy(() => loss().dataSync()[0]);
      };
      const num = (f(h) - f(-h)) / (2 * h);
      const a = analytic[k][i];
      worst = Math.max(worst, Math.abs(num - a) / Math.max(Math.abs(a), Math.abs(num), scale));
      checked++;
    }
    v.assign(tf.tensor(base, v.shape));
  });
  return { maxRelError: worst, checked };
}

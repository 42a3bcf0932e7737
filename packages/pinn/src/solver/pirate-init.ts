/**
 * PirateNet's physics-informed initialisation from the problem's initial condition (jaxpi
 * `pi_init_type = "initial_condition"`; Wang, Li, Chen & Perdikaris 2024, arXiv:2402.00326):
 * the output layer starts as the least-squares fit of u0(x) on points (x, t_j), x drawn on the
 * initial slice and u0 repeated at `times` equally spaced t_j in [t0, t1], so the untrained
 * network already is the initial condition extended constantly in time.
 */
import { tf, type Rng } from '@aml/core';
import { fitOutputLayer, type PirateNetwork } from '../networks/pi-init';
import type { Problem } from '../problems/problem';
import { inputColumns, pointsTensor, type InputScaling } from './fields';

/** How many points and time slices the fit uses. */
export interface PirateInitOptions {
  /** Points on the initial slice (default 256). */
  readonly points?: number;
  /** Time slices the values are repeated on (default 10, jaxpi: every 10th of ~100 reference times). */
  readonly times?: number;
}

/**
 * Fit the PirateNet's output layer to the initial values of every output.
 * @returns the fit's relative residual
 */
export function initPirateFromInitialCondition(
  problem: Problem,
  net: PirateNetwork,
  params: Readonly<Record<string, tf.Tensor>>,
  scaling: InputScaling | undefined,
  rng: Rng,
  opts: PirateInitOptions = {},
): number {
  const { names, geometry } = problem;
  const d = geometry.dim;
  const conds = names.outputs.map((u) => {
    const c = problem.conditions.find((b) => b.label === `initial(${u})`);
    if (!c)
      throw new Error(
        `network.init: 'initial-condition' needs an initial condition u(x, t0) = g for every output; ${u} has none`,
      );
    return c;
  });
  const x0 = conds[0].sample(opts.points ?? 256, rng, 'uniform').x; // (n*d) on t = t0
  const n = x0.length / d;
  const times = opts.times ?? 10;
  const [t0, t1] = [geometry.bbox.lo[d - 1], geometry.bbox.hi[d - 1]];
  const values = tf.tidy(() => {
    const x = pointsTensor(x0, d);
    const fields: Record<string, tf.Tensor> = { ...inputColumns(x, names.inputs) };
    for (const u of names.outputs) fields[u] = tf.zeros([n, 1]);
    // residual = u - g, so with u = 0 it is -g
    return tf
      .neg(
        tf.concat(
          conds.map((c) => c.residual(fields, params)[0]),
          1,
        ),
      )
      .dataSync(); // (n, m)
  });
  const m = names.outputs.length;
  const X = new Float64Array(n * times * d);
  const Y = new Float32Array(n * times * m);
  for (let j = 0; j < times; j++) {
    const t = times === 1 ? t0 : t0 + ((t1 - t0) * j) / (times - 1);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < d; i++) {
        const v = i === d - 1 ? t : x0[r * d + i];
        X[(j * n + r) * d + i] = scaling ? (v - scaling.shift[i]) * scaling.factor[i] : v;
      }
      for (let k = 0; k < m; k++) Y[(j * n + r) * m + k] = values[r * m + k];
    }
  }
  const xs = pointsTensor(X, d);
  const ys = tf.tensor2d(Y, [n * times, m]);
  try {
    return fitOutputLayer(net, xs, ys);
  } finally {
    tf.dispose([xs, ys]);
  }
}

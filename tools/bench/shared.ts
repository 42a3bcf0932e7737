/**
 * Builders shared by several bench case files (kept outside cases/, which the runner scans for cases):
 * the tanh MLP of the core/autodiff steps, the Burgers training step of the PINN engines, Raissi's
 * Burgers configuration, and reference values on an evaluation grid.
 */
import { adam, getActivation, glorotNormal, Rng, tf } from '@aml/core';
import { createMlp, disposeMlp, mlpVariables, type DerivativeEngine, type ProblemConfigInput } from '@aml/pinn';

/** A tanh MLP as plain variables (Glorot-normal weights, zero biases); `net` maps (N, in) -> (N, out). */
export function tanhMlp(sizes: readonly number[], rng: Rng) {
  const params: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    // tf.variable keeps its own reference to the data, so the initial tensors are disposed here
    const [w, b] = [glorotNormal([sizes[l], sizes[l + 1]], rng), tf.zeros([sizes[l + 1]])];
    params.push(tf.variable(w), tf.variable(b));
    tf.dispose([w, b]);
  }
  const act = getActivation('tanh');
  const net = (x: tf.Tensor2D) => {
    let a: tf.Tensor2D = x;
    for (let l = 0; l < params.length; l += 2) {
      a = tf.add(tf.matMul(a, params[l] as tf.Tensor2D), params[l + 1]);
      if (l + 2 < params.length) a = act.apply(a) as tf.Tensor2D;
    }
    return a; // (N, out)
  };
  return { params, net };
}

/** The derivatives the Burgers residual needs, as input-index lists: u, u_x, u_t, u_xx (inputs (x, t)). */
export const BURGERS_DERIVATIVES: number[][] = [[], [0], [1], [0, 0]];

/** 10,000 collocation points uniform in [-1, 1]^2 (seeded), columns (x, t): (10000, 2). */
export function burgersPoints(): tf.Tensor2D {
  return tf.tensor2d(new Rng(2).uniformArray(20000, -1, 1), [10000, 2]);
}

/** Mean square Burgers residual u_t + u u_x - nu u_xx (nu = 0.01/pi) from [u, u_x, u_t, u_xx], each (N, 1). */
export function burgersResidualMse([u, ux, ut, uxx]: readonly tf.Tensor[]): tf.Scalar {
  const nu = 0.01 / Math.PI;
  return tf.mean(tf.square(tf.sub(tf.add(ut, tf.mul(u, ux)), tf.mul(nu, uxx)))) as tf.Scalar;
}

/**
 * One Adam step of the Burgers residual at 10,000 points with a 2-50-50-50-50-1 tanh MLP (pinn's
 * `createMlp`, seed 1) through `engine`; returns the step and a cleanup.
 */
export function burgersStep(engine: DerivativeEngine): { step: () => number; dispose: () => void } {
  const net = createMlp({ inputs: 2, hidden: [50, 50, 50, 50], outputs: 1, activation: 'tanh' }, new Rng(1));
  const vars = mlpVariables(net);
  const x = burgersPoints();
  const opt = adam({ learningRate: 1e-3 });
  const loss = () => burgersResidualMse(engine.derivatives(net, x, BURGERS_DERIVATIVES));
  return {
    step: () => opt.minimize(loss, vars),
    dispose: () => {
      opt.dispose();
      x.dispose();
      disposeMlp(net);
    },
  };
}

/**
 * Raissi et al. (2019) Burgers setting: nu = 0.01/pi, 100 initial+boundary points, 10,000 collocation
 * points, 8x20 tanh, Adam 2000 steps then L-BFGS up to `lbfgsSteps`; `quick` shrinks it to a smoke run.
 * `engine` names the derivative engine in the config (omit it when the engine is passed to `solve`).
 */
export function raissiBurgersConfig(quick: boolean, lbfgsSteps: number, engine?: 'fused'): ProblemConfigInput {
  return {
    name: 'burgers',
    domain: { x: [-1, 1], t: [0, 1] },
    equation: 'u_t + u*u_x - (0.01/pi)*u_xx',
    conditions: [
      { type: 'initial', value: '-sin(pi*x)', points: 50 },
      { type: 'dirichlet', on: 'x=-1 | x=1', value: 0, points: 50 },
    ],
    network: { layers: quick ? [20, 20] : [20, 20, 20, 20, 20, 20, 20, 20], activation: 'tanh' },
    training: {
      points: quick ? 1000 : 10000,
      adam: { steps: quick ? 100 : 2000, lr: 1e-3 },
      lbfgs: { steps: quick ? 20 : lbfgsSteps },
      ...(engine ? { engine } : {}),
      seed: 1,
    },
    reference: { solver: 'burgers', grid: [256, 100] },
  };
}

/** `ref` at each point of a flat (n * dim) evaluation grid: (n). */
export function referenceValues(
  grid: Float64Array | Float32Array,
  dim: number,
  ref: (p: number[]) => number,
): Float64Array {
  return Float64Array.from({ length: grid.length / dim }, (_, k) =>
    ref(Array.from(grid.subarray(k * dim, (k + 1) * dim))),
  );
}

/**
 * PINN-style step with core's general-purpose nested-autodiff helper: a 2-50-50-50-50-1 tanh MLP,
 * Burgers residual u_t + u u_x - nu u_xx at 10,000 points, Adam. This is the reference speed that
 * packages/pinn's forward-mode engine and the fused kernel are compared against.
 */
import { tf, Rng, adam, glorotNormal, getActivation, inputDerivatives } from '@aml/core';
import type { BenchCase } from '../case';

export function tanhMlp(sizes: number[], seed: number) {
  const rng = new Rng(seed);
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
    return a;
  };
  return { params, net };
}

export const cases: BenchCase[] = [
  {
    kind: 'speed',
    name: 'pinn-step-nested-autodiff-2x50x4-10k',
    engine: 'nested-grad',
    repeats: 5,
    async setup() {
      const { params, net } = tanhMlp([2, 50, 50, 50, 50, 1], 1);
      const rng = new Rng(2);
      const x = tf.tensor2d(rng.uniformArray(20000, -1, 1), [10000, 2]); // columns (x, t)
      const opt = adam({ learningRate: 1e-3 });
      const nu = 0.01 / Math.PI;
      const loss = () => {
        const [u, ux, ut, uxx] = inputDerivatives(net, x, [[], [0], [1], [0, 0]]);
        return tf.mean(tf.square(tf.sub(tf.add(ut, tf.mul(u, ux)), tf.mul(nu, uxx)))) as tf.Scalar;
      };
      return {
        step: () => opt.minimize(loss, params),
        dispose: () => { opt.dispose(); tf.dispose([x, ...params]); },
      };
    },
  },
];

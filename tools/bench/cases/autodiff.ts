/**
 * PINN-style step with core's general-purpose nested-autodiff helper: a 2-50-50-50-50-1 tanh MLP,
 * Burgers residual u_t + u u_x - nu u_xx at 10,000 points, Adam. This is the reference speed that
 * packages/pinn's forward-mode engine and the fused kernel are compared against.
 */
import { tf, Rng, adam, inputDerivatives } from '@aml/core';
import type { BenchCase } from '../case';
import { BURGERS_DERIVATIVES, burgersPoints, burgersResidualMse, tanhMlp } from '../shared';

export const cases: BenchCase[] = [
  {
    kind: 'speed',
    name: 'pinn-step-nested-autodiff-2x50x4-10k',
    engine: 'nested-grad',
    repeats: 5,
    async setup() {
      const { params, net } = tanhMlp([2, 50, 50, 50, 50, 1], new Rng(1));
      const x = burgersPoints(); // (10000, 2), columns (x, t)
      const opt = adam({ learningRate: 1e-3 });
      const loss = () => burgersResidualMse(inputDerivatives(net, x, BURGERS_DERIVATIVES));
      return {
        step: () => opt.minimize(loss, params),
        dispose: () => {
          opt.dispose();
          tf.dispose([x, ...params]);
        },
      };
    },
  },
];

/**
 * packages/pinn benchmarks.
 * - speed: one PINN training step (Burgers residual u_t + u u_x - nu u_xx at 10,000 points,
 *   2-50-50-50-50-1 tanh MLP, Adam) with the 'taylor' engine and the 'nested' tf.grad engine;
 * - accuracy: heat equation, Burgers (Raissi's setting), inverse heat coefficient.
 */
import { adam, Rng, tf } from '@aml/core';
import { createMlp, disposeMlp, mlpVariables, nestedEngine, taylorEngine, type DerivativeEngine } from '@aml/pinn';
import type { BenchCase } from '../case';
import { accuracyCases } from './pinn-accuracy';

function stepCase(engine: DerivativeEngine): BenchCase {
  return {
    kind: 'speed',
    name: 'pinn-step-burgers-2x50x4-10k',
    engine: engine.name,
    repeats: 5,
    async setup() {
      const net = createMlp({ inputs: 2, hidden: [50, 50, 50, 50], outputs: 1, activation: 'tanh' }, new Rng(1));
      const vars = mlpVariables(net);
      const x = tf.tensor2d(new Rng(2).uniformArray(20000, -1, 1), [10000, 2]); // columns (x, t)
      const opt = adam({ learningRate: 1e-3 });
      const nu = 0.01 / Math.PI;
      const loss = () => {
        const [u, ux, ut, uxx] = engine.derivatives(net, x, [[], [0], [1], [0, 0]]);
        return tf.mean(tf.square(tf.sub(tf.add(ut, tf.mul(u, ux)), tf.mul(nu, uxx)))) as tf.Scalar;
      };
      return {
        step: () => opt.minimize(loss, vars),
        dispose: () => {
          opt.dispose();
          x.dispose();
          disposeMlp(net);
        },
      };
    },
  };
}

export const cases: BenchCase[] = [stepCase(taylorEngine), stepCase(nestedEngine), ...accuracyCases];

/**
 * packages/pinn benchmarks.
 * - speed: one PINN training step (Burgers residual u_t + u u_x - nu u_xx at 10,000 points,
 *   2-50-50-50-50-1 tanh MLP, Adam) with the 'taylor' engine and the 'nested' tf.grad engine;
 * - accuracy: heat equation, Burgers (Raissi's setting), inverse heat coefficient.
 */
import { nestedEngine, taylorEngine, type DerivativeEngine } from '@aml/pinn';
import type { BenchCase } from '../case';
import { burgersStep } from '../shared';
import { accuracyCases } from './pinn-accuracy';

function stepCase(engine: DerivativeEngine): BenchCase {
  return {
    kind: 'speed',
    name: 'pinn-step-burgers-2x50x4-10k',
    engine: engine.name,
    repeats: 5,
    async setup() {
      return burgersStep(engine);
    },
  };
}

export const cases: BenchCase[] = [stepCase(taylorEngine), stepCase(nestedEngine), ...accuracyCases];

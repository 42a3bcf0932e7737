/**
 * Core engine figures:
 * - speed: one Adam training step of a 2-50-50-50-50-1 tanh MLP at batch 10,000 (MSE to a target),
 *   through `optimizer.minimize` and through the trainer (`train`, which adds the NaN guard and history);
 * - accuracy: L-BFGS on the 10-d Rosenbrock function from (-1.2, 1, ...) on a float32 tf.Variable
 *   (iterations, evaluations, final loss, stop reason).
 */
import { adam, lbfgs, Rng, tf, train } from '@aml/core';
import type { BenchCase } from '../case';
import { tanhMlp } from '../shared';

/** Data and loss of the MSE step: x (10000, 2) uniform in [-1, 1]^2, target sin(pi x) cos(pi t). */
function mseProblem() {
  const rng = new Rng(1);
  const { params, net } = tanhMlp([2, 50, 50, 50, 50, 1], rng);
  const xs = rng.uniformArray(20000, -1, 1);
  const x = tf.tensor2d(xs, [10000, 2]); // (N, 2)
  const y = tf.tensor2d(
    Array.from({ length: 10000 }, (_, i) => Math.sin(Math.PI * xs[2 * i]) * Math.cos(Math.PI * xs[2 * i + 1])),
    [10000, 1],
  );
  const loss = () => tf.mean(tf.square(tf.sub(net(x), y))) as tf.Scalar;
  return { params, loss, dispose: () => tf.dispose([x, y, ...params]) };
}

export const cases: BenchCase[] = [
  {
    kind: 'speed',
    name: 'mlp-step-adam-2x50x4-10k',
    engine: 'optimizer.minimize',
    repeats: 10,
    async setup() {
      const p = mseProblem();
      const opt = adam({ learningRate: 1e-3 });
      return {
        step: () => opt.minimize(p.loss, p.params),
        dispose: () => {
          opt.dispose();
          p.dispose();
        },
      };
    },
  },
  {
    kind: 'speed',
    name: 'mlp-step-adam-2x50x4-10k',
    engine: 'train (10 steps / 10)',
    repeats: 3,
    async setup() {
      const p = mseProblem();
      const opt = adam({ learningRate: 1e-3 });
      // one timed call = 10 trainer steps; the runner's figure divided by 10 is the per-step cost
      return {
        step: () => train({ params: p.params, optimizer: opt, loss: p.loss, steps: 10, progress: 'none' }),
        dispose: () => {
          opt.dispose();
          p.dispose();
        },
      };
    },
  },
  {
    kind: 'accuracy',
    name: 'lbfgs-rosenbrock-10d-float32',
    async run() {
      const x0 = tf.tensor1d(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1)));
      const x = tf.variable(x0);
      x0.dispose();
      const f = () => {
        const head = x.slice(0, 9),
          tail = x.slice(1, 9);
        return tail.sub(head.square()).square().mul(100).add(tf.scalar(1).sub(head).square()).sum() as tf.Scalar;
      };
      const t0 = performance.now();
      const r = lbfgs({ memory: 10 }).run(f, [x]);
      const ms = performance.now() - t0;
      x.dispose();
      return {
        iterations: r.iterations,
        functionEvals: r.functionEvals,
        loss: r.loss,
        ms: Math.round(ms),
        reason: r.reason,
        pass: r.loss < 1e-8 && r.iterations <= 500,
      };
    },
  },
];

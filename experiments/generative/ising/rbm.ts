/** The RBM learner of the Ising experiment: binary RBM trained by persistent CD, sampled by block Gibbs. */
import { adam, tf } from '@aml/core';
import { contrastiveDivergence, createRbm, disposeRbm, gibbsSample, toSpins } from '@aml/generative';
import type { IsingLearner } from './shared';

/** RBM settings. */
export interface RbmSettings {
  /** Hidden units. */
  readonly hidden: number;
  /** PCD Gibbs steps per update. */
  readonly k: number;
  /** Gibbs steps when sampling from random configurations. */
  readonly sampleSteps: number;
  /** Adam learning rate (PCD needs a larger step than the networks: 1e-3 left T = 3 at 43% energy error). */
  readonly lr: number;
  /** Updates and batch size. */
  readonly steps: number;
  readonly batchSize: number;
}

export const rbmSettings = (quick: boolean): RbmSettings =>
  quick ? { hidden: 8, k: 1, sampleSteps: 5, lr: 1e-3, steps: 3, batchSize: 16 } : { hidden: 64, k: 5, sampleSteps: 1000, lr: 5e-3, steps: 2000, batchSize: 128 };

export const learnRbm: IsingLearner<RbmSettings> = (task, s, rng) => {
  const N = task.L * task.L;
  const n = task.spins.length / N;
  const data = tf.tensor2d(Float32Array.from(task.spins, (v) => (v + 1) / 2), [n, N]);
  const rbm = createRbm({ kind: 'binary', nVisible: N, nHidden: s.hidden }, rng);
  const cd = contrastiveDivergence(rbm, { k: s.k, method: 'pcd' });
  const opt = adam({ learningRate: s.lr });
  for (let t = 0; t < s.steps; t++) {
    const x = tf.tidy(() => tf.gather(data, tf.tensor1d(Int32Array.from({ length: s.batchSize }, () => rng.int(n)), 'int32'))) as tf.Tensor2D;
    cd.step(x, opt, rng);
    x.dispose();
  }
  const v0 = tf.tidy(() => tf.randomUniform([task.evalSize, N], 0, 1, 'float32', rng.seed()).round()) as tf.Tensor2D;
  const v = gibbsSample(rbm, v0, s.sampleSteps, rng);
  const out = toSpins(v.dataSync(), 'binary');
  [v0, v, data].forEach((t) => t.dispose());
  cd.dispose();
  opt.dispose();
  disposeRbm(rbm);
  return out;
};

/** The diffusion learner of the Ising experiment: DDPM on spins +-1 (cosine schedule), DDIM sampling, read out by sign. */
import { adam, tf } from '@aml/core';
import { ddpmStep, mlpDenoiser, noiseSchedule, sampleDdim, toSpins } from '@aml/generative';
import type { IsingLearner } from './shared';

/** DDPM settings. */
export interface DdpmSettings {
  /** Denoiser hidden widths. */
  readonly hidden: readonly number[];
  /** Diffusion steps T and DDIM sampling steps. */
  readonly T: number;
  readonly ddimSteps: number;
  /** Adam learning rate, updates and batch size. */
  readonly lr: number;
  readonly steps: number;
  readonly batchSize: number;
}

export const ddpmSettings = (quick: boolean): DdpmSettings =>
  quick ? { hidden: [16], T: 20, ddimSteps: 5, lr: 1e-3, steps: 3, batchSize: 16 } : { hidden: [256, 256], T: 200, ddimSteps: 50, lr: 1e-3, steps: 2000, batchSize: 128 };

export const learnDdpm: IsingLearner<DdpmSettings> = (task, s, rng) => {
  const N = task.L * task.L;
  const n = task.spins.length / N;
  const data = tf.tensor2d(task.spins, [n, N]);
  const net = mlpDenoiser({ dataSize: N, hidden: s.hidden }, rng);
  const sched = noiseSchedule({ kind: 'cosine', T: s.T });
  const opt = adam({ learningRate: s.lr });
  for (let t = 0; t < s.steps; t++) {
    const x = tf.tidy(() => tf.gather(data, tf.tensor1d(Int32Array.from({ length: s.batchSize }, () => rng.int(n)), 'int32'))) as tf.Tensor2D;
    ddpmStep(net, sched, x, opt, rng);
    x.dispose();
  }
  const samples = sampleDdim(net, sched, [task.evalSize, N], s.ddimSteps, rng, 0, { clip: 1 });
  const out = toSpins(samples.dataSync(), 'pm1');
  samples.dispose();
  data.dispose();
  opt.dispose();
  net.params.forEach((p) => p.dispose());
  return out;
};

/**
 * Contrastive divergence training of RBMs: CD-k (Hinton 2002) and persistent CD
 * (Tieleman 2008). The log-likelihood gradient is <dE/dtheta>_data - <dE/dtheta>_model;
 * with the free energy that is grad[ mean F(v_data) - mean F(v_model) ], where the model
 * samples come from k block-Gibbs steps started at the data (CD) or at persistent chains (PCD).
 */
import { tf, type Optimizer, type Rng } from '@aml/core';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import { freeEnergy, gibbsSample, type Rbm } from './rbm';

/** Settings of a contrastive-divergence update. */
export interface CdConfig {
  /** Gibbs steps per update, >= 1 (CD-1 and CD-5 in the course). */
  readonly k: number;
  /** 'cd' restarts the negative chains at the data; 'pcd' keeps persistent chains (default 'cd'). */
  readonly method?: 'cd' | 'pcd';
  /** L2 weight decay on W added to the loss (default 0). */
  readonly weightDecay?: number;
}

const schema = z.strictObject({
  k: z.number().int('k must be an integer').min(1, 'k (Gibbs steps) must be >= 1; CD-1 is the usual choice'),
  method: z.enum(['cd', 'pcd']).default('cd'),
  weightDecay: z.number().nonnegative('weightDecay must be >= 0').default(0),
});

/** A contrastive-divergence trainer for one RBM; holds the persistent chains in PCD. */
export interface CdTrainer {
  readonly config: Required<CdConfig>;
  /**
   * One update on a data batch (B, nV) with `optimizer` (SGD or Adam from @aml/core).
   * @returns the free-energy gap mean F(data) - mean F(negatives) before the update. Leaves no tensors.
   */
  step(batch: tf.Tensor2D, optimizer: Optimizer, rng: Rng): number;
  /** Free the persistent chains. */
  dispose(): void;
}

/**
 * Build a CD-k / PCD-k trainer.
 * @example
 *   const cd = contrastiveDivergence(rbm, { k: 1 });
 *   for (const batch of batches) cd.step(batch, opt, rng);
 */
export function contrastiveDivergence(rbm: Rbm, config: CdConfig): CdTrainer {
  const c = parseConfig(schema, config, 'contrastive divergence');
  let chains: tf.Tensor2D | null = null; // (B, nV) persistent negative samples (PCD)
  return {
    config: c,
    step(batch, optimizer, rng) {
      const start = c.method === 'pcd' && chains && chains.shape[0] === batch.shape[0] ? chains : batch;
      const neg = gibbsSample(rbm, start, c.k, rng); // (B, nV), a constant for the gradient
      const loss = () =>
        tf.tidy(() => {
          let l = freeEnergy(rbm, batch).mean().sub(freeEnergy(rbm, neg).mean());
          if (c.weightDecay > 0) l = l.add(rbm.W.square().sum().mul(c.weightDecay / 2));
          return l as tf.Scalar;
        });
      let value: number;
      try {
        value = optimizer.minimize(loss, rbm.params);
      } finally {
        if (c.method === 'pcd') {
          if (chains && chains !== neg) chains.dispose();
          chains = neg;
        } else if (neg !== batch) neg.dispose();
      }
      return value;
    },
    dispose() {
      chains?.dispose();
      chains = null;
    },
  };
}

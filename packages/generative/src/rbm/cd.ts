/**
 * Contrastive divergence training of RBMs: CD-k (Hinton 2002) and persistent CD
 * (Tieleman 2008). The log-likelihood gradient is <dE/dtheta>_data - <dE/dtheta>_model;
 * with the free energy that is grad[ mean F(v_data) - mean F(v_model) ], where the model
 * samples come from k block-Gibbs steps started at the data (CD) or at persistent chains (PCD).
 * Options: more persistent chains than the batch (a less noisy negative phase), and centring
 * (centring.ts), which changes the gradient's parameterisation but not the model.
 */
import { nonNegativeNumber, type Optimizer, type Rng, tf } from '@aml/core';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import { centredFreeEnergy, centredParams, disposeCentred, syncCentred, type RbmOffsets } from './centring';
import { freeEnergy, gibbsSample, type Rbm } from './rbm';

/** Settings of a contrastive-divergence update. */
export interface CdConfig {
  /** Gibbs steps per update, >= 1 (CD-1 and CD-5 in the course). */
  readonly k: number;
  /** 'cd' restarts the negative chains at the data; 'pcd' keeps persistent chains (default 'cd'). */
  readonly method?: 'cd' | 'pcd';
  /** L2 weight decay on W added to the loss (default 0). */
  readonly weightDecay?: number;
  /**
   * PCD only: number of persistent chains (default: the batch size). More chains than the batch
   * average the negative phase over more samples; they start from rows drawn from the first batch.
   */
  readonly chains?: number;
  /**
   * Train the centred parameterisation with these offsets (binary RBMs; default: plain gradient).
   * The trainer copies the RBM's biases when it is built: set a and b before, not after.
   */
  readonly centring?: RbmOffsets;
}

const offset = z.union([z.number().finite(), z.array(z.number().finite())]);

const schema = z.strictObject({
  k: z.number().int('k must be an integer').min(1, 'k (Gibbs steps) must be >= 1; CD-1 is the usual choice'),
  method: z.enum(['cd', 'pcd']).default('cd'),
  weightDecay: nonNegativeNumber('weightDecay').default(0),
  chains: z.number().int('chains must be an integer').min(1, 'chains (persistent chains) must be >= 1').optional(),
  centring: z.strictObject({ visible: offset, hidden: offset }).optional(),
});

/** A contrastive-divergence trainer for one RBM; holds the persistent chains in PCD. */
export interface CdTrainer {
  readonly config: CdConfig & Required<Pick<CdConfig, 'k' | 'method' | 'weightDecay'>>;
  /**
   * One update on a data batch (B, nV) with `optimizer` (SGD or Adam from @aml/core).
   * @returns the free-energy gap mean F(data) - mean F(negatives) before the update. Leaves no tensors.
   */
  step(batch: tf.Tensor2D, optimizer: Optimizer, rng: Rng): number;
  /** The persistent chains (PCD, after the first step; (C, nV)) or null. Owned by the trainer. */
  chains(): tf.Tensor2D | null;
  /** Free the persistent chains and the centred parameters. */
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
  if (c.chains !== undefined && c.method !== 'pcd')
    throw new Error(
      `contrastive divergence: chains (${c.chains}) needs method 'pcd'; CD restarts its chains at the batch`,
    );
  const centred = c.centring ? centredParams(rbm, c.centring) : null;
  const F = (v: tf.Tensor2D) => (centred ? centredFreeEnergy(rbm, centred, v) : freeEnergy(rbm, v));
  let chains: tf.Tensor2D | null = null; // (C, nV) persistent negative samples (PCD)
  const startOf = (batch: tf.Tensor2D, rng: Rng): tf.Tensor2D => {
    if (c.method !== 'pcd') return batch;
    if (c.chains === undefined) return chains && chains.shape[0] === batch.shape[0] ? chains : batch;
    if (chains) return chains;
    const rows = Int32Array.from({ length: c.chains }, () => rng.int(batch.shape[0]));
    return tf.tidy(() => tf.gather(batch, tf.tensor1d(rows, 'int32')));
  };
  return {
    config: c,
    step(batch, optimizer, rng) {
      const start = startOf(batch, rng);
      const neg = gibbsSample(rbm, start, c.k, rng); // (C, nV), a constant for the gradient
      if (start !== batch && start !== chains) start.dispose();
      const loss = () =>
        tf.tidy(() => {
          let l = F(batch).mean().sub(F(neg).mean());
          if (c.weightDecay > 0)
            l = l.add(
              rbm.W.square()
                .sum()
                .mul(c.weightDecay / 2),
            );
          return l as tf.Scalar;
        });
      let value: number;
      try {
        value = optimizer.minimize(loss, centred ? centred.params : rbm.params);
        if (centred) syncCentred(rbm, centred);
      } finally {
        if (c.method === 'pcd') {
          if (chains && chains !== neg) chains.dispose();
          chains = neg;
        } else if (neg !== batch) neg.dispose();
      }
      return value;
    },
    chains: () => chains,
    dispose() {
      chains?.dispose();
      chains = null;
      if (centred) disposeCentred(centred);
    },
  };
}

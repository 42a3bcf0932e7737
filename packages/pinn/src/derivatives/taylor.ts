/**
 * The 'taylor' derivative engine: forward propagation of input derivatives (Taylor mode)
 * with tfjs ops, so the weight gradients come from ONE ordinary reverse pass instead of
 * nested tf.grad.
 *
 * Any network with a generic `forward(ops, x)` runs on jets (`./jets.ts`) to fourth order.
 * Plain MLPs up to second order take the block path (`./taylor-blocks.ts`), which is the
 * same algebra specialised: per layer, with value a, first derivatives da_i and the requested
 * second derivatives d2a_ij,
 *   z = a W + b,  dz_i = da_i W,  d2z_ij = d2a_ij W
 *   a' = s(z),  da'_i = s'(z) dz_i,  d2a'_ij = s''(z) dz_i dz_j + s'(z) d2z_ij
 *
 * Why the blocks are separate (N, w) tensors rather than one stacked (K*N, w) matrix: at
 * PINN batch sizes (N ~ 10^4) each product is already large, and stacking needs concat,
 * split/slice and a padded bias whose WASM kernels (SplitV, PadV2) and broadcast-reducing
 * gradients cost more than the matMuls they merge. Measured on the Burgers step below
 * (2-50x4-1 tanh, 10,000 points, Adam, CPU time): stacked 925 ms, separate blocks 200 ms,
 * nested tf.grad 568 ms.
 */
import { tf } from '@aml/core';
import { asNetwork, mlpView } from '../networks/mlp';
import {
  maxOrder,
  validateRequests,
  type DerivativeEngine,
  type DerivativeIndex,
  type MlpParams,
  type NetworkLike,
} from './engine';
import { inputJet, jetComponent, jetOps, planJets } from './jets';
import { closeRequests } from './multi-index';
import { planTaylor } from './taylor-plan';
import { taylorForwardBlocks } from './taylor-blocks';

export { planTaylor, type TaylorPlan } from './taylor-plan';

/** Check the network's shapes against x, naming the layer at fault. */
export function checkMlp(net: MlpParams, d: number): void {
  if (net.weights.length === 0 || net.weights.length !== net.biases.length) {
    throw new Error(
      `MLP: need one bias per weight matrix and at least one layer, got ${net.weights.length} weights and ${net.biases.length} biases`,
    );
  }
  let width = d;
  net.weights.forEach((w, l) => {
    if (w.rank !== 2 || w.shape[0] !== width) {
      throw new Error(
        `MLP layer ${l}: weight shape [${w.shape}] does not take ${width} inputs; expected [${width}, out]`,
      );
    }
    if (net.biases[l].rank !== 1 || net.biases[l].shape[0] !== w.shape[1]) {
      throw new Error(`MLP layer ${l}: bias shape [${net.biases[l].shape}] should be [${w.shape[1]}]`);
    }
    width = w.shape[1];
  });
}

/** Check x (N, d) against a network's input count, naming both. */
export function checkInputs(net: NetworkLike, x: tf.Tensor2D, engine: string): void {
  if (x.rank !== 2) throw new Error(`${engine} engine: x must be (N, d), got shape [${x.shape}]`);
  const mlp = mlpView(net);
  if (mlp) {
    checkMlp(mlp, x.shape[1]);
    return;
  }
  const n = asNetwork(net);
  if (n.inputs !== x.shape[1])
    throw new Error(
      `${engine} engine: network '${n.kind}' takes ${n.inputs} input(s) but x has ${x.shape[1]} column(s)`,
    );
}

/**
 * Input derivatives of any network with a generic forward, by jets.
 * @param x (N, d); returns one (N, m) tensor per request.
 */
export function jetDerivatives(net: NetworkLike, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
  const n = asNetwork(net);
  if (!n.forward)
    throw new Error(
      `taylor engine: network '${n.kind}' has no generic forward(ops, x); use the 'nested' engine, or write its forward over NetOps (see defineNetwork)`,
    );
  return tf.tidy(() => {
    const plan = planJets(closeRequests(requests));
    const out = n.forward!(jetOps(plan), inputJet(x, plan));
    return requests.map((r) => jetComponent(out, r.join(',')));
  });
}

/** Taylor-mode forward propagation with tfjs ops: runs on every backend, any network with `forward`, up to fourth order. */
export const taylorEngine: DerivativeEngine = {
  name: 'taylor',
  supports(net) {
    const n = asNetwork(net);
    return n.forward ? true : `taylor engine needs a generic forward(ops, x); this ${n.kind} has apply only`;
  },
  derivatives(net: NetworkLike, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
    checkInputs(net, x, 'taylor');
    validateRequests(requests, x.shape[1]);
    if (requests.length === 0) return [];
    const mlp = mlpView(net);
    if (!mlp || maxOrder(requests) > 2) return jetDerivatives(net, x, requests);
    const plan = planTaylor(requests);
    return tf.tidy(() => {
      const out = taylorForwardBlocks(mlp, x, plan);
      const all = [out.v, ...out.d1, ...out.d2]; // block order of the plan
      return plan.block.map((b) => all[b]);
    });
  },
};

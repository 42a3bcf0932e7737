/**
 * PirateNet residual blocks (Wang, Li, Chen & Perdikaris 2024, "PirateNets:
 * Physics-informed Deep Learning with Residual Adaptive Networks", arXiv:2402.00326; jaxpi
 * branch `pirate`, `PirateNet`). On the embedded input x0 = Phi(z) of width m:
 *
 *   U = s(x0 W_U + b_U),  V = s(x0 W_V + b_V)                    (shared by all blocks)
 *   block l (input x):  f = s(x W1 + b1);  z1 = f * U + (1 - f) * V
 *                       g = s(z1 W2 + b2); z2 = g * U + (1 - g) * V
 *                       h = s(z2 W3 + b3)                          (W3 maps back to width m)
 *                       x_next = alpha_l h + (1 - alpha_l) x
 *   u = x_L W_out + b_out
 *
 * alpha_l is one trainable scalar per block, initialised to 0: at init the network is a
 * linear model on the embedding, and depth is switched on as training needs it.
 * Variables: U_W, U_b, V_W, V_b, block{l}_W{1,2,3}, block{l}_b{1,2,3}, alpha{l}, W_out, b_out.
 * Each `hidden` entry is one block of that width (all equal).
 */
import { tf, type ActivationName, type NetOps, type Rng } from '@aml/core';
import { applyDense, createDense, type DenseLayer, type FactorizedSpec } from './factorized';
import { equalWidths, gate } from './modified-mlp';

/** One residual block: three dense layers and its gate alpha. */
export interface PirateBlock {
  readonly layers: readonly [DenseLayer, DenseLayer, DenseLayer];
  readonly alpha: tf.Variable;
}

/** PirateNet layers. */
export interface PirateBody {
  readonly encU: DenseLayer;
  readonly encV: DenseLayer;
  readonly blocks: readonly PirateBlock[];
  readonly out: DenseLayer;
}

/** Create the layers: draws U, V, each block's three layers, then the output layer. */
export function createPirate(
  params: Record<string, tf.Variable>,
  m: number,
  hidden: readonly number[],
  outputs: number,
  rng: Rng,
  factorized?: FactorizedSpec,
): PirateBody {
  const w = equalWidths(hidden, 'pirate');
  const encU = createDense(params, 'U_W', 'U_b', m, w, rng, factorized);
  const encV = createDense(params, 'V_W', 'V_b', m, w, rng, factorized);
  const blocks = hidden.map((_, l): PirateBlock => {
    const p = `block${l}_`;
    const layers = [
      createDense(params, `${p}W1`, `${p}b1`, m, w, rng, factorized),
      createDense(params, `${p}W2`, `${p}b2`, w, w, rng, factorized),
      createDense(params, `${p}W3`, `${p}b3`, w, m, rng, factorized),
    ] as const;
    const alpha = tf.tidy(() => tf.variable(tf.scalar(0)));
    params[`alpha${l}`] = alpha;
    return { layers, alpha };
  });
  const out = createDense(params, 'W_out', 'b_out', m, outputs, rng, factorized);
  return { encU, encV, blocks, out };
}

/** The last features x_L (N, m) before the output layer (the physics-informed init fits W_out on them). */
export function pirateFeatures<T>(ops: NetOps<T>, x0: T, body: PirateBody, act: ActivationName): T {
  const U = ops.activation(applyDense(ops, x0, body.encU), act);
  const V = ops.activation(applyDense(ops, x0, body.encV), act);
  const uMinusV = ops.sub(U, V);
  let x = x0;
  for (const { layers, alpha } of body.blocks) {
    const z1 = gate(ops, ops.activation(applyDense(ops, x, layers[0]), act), V, uMinusV);
    const z2 = gate(ops, ops.activation(applyDense(ops, z1, layers[1]), act), V, uMinusV);
    const h = ops.activation(applyDense(ops, z2, layers[2]), act);
    x = ops.add(x, ops.scale(ops.sub(h, x), alpha as tf.Scalar)); // alpha h + (1 - alpha) x
  }
  return x;
}

/** x0 (N, m) -> (N, outputs). */
export function pirateForward<T>(ops: NetOps<T>, x0: T, body: PirateBody, act: ActivationName): T {
  return applyDense(ops, pirateFeatures(ops, x0, body, act), body.out);
}

/**
 * Modified MLP (Wang, Teng & Perdikaris 2021, "Understanding and mitigating gradient flow
 * pathologies in physics-informed neural networks", SIAM J. Sci. Comput., arXiv:2001.04536;
 * jaxpi's `ModifiedMlp`): two encoders of the (embedded) input gate every hidden layer.
 *
 *   U = s(h0 W_U + b_U),  V = s(h0 W_V + b_V)               (computed once)
 *   z_l = s(h_{l-1} W_l + b_l),  h_l = z_l * U + (1 - z_l) * V
 *   u = h_L W_out + b_out
 *
 * Variables: U_W, U_b, V_W, V_b (encoders), W0, b0, ... (hidden layers then output). All
 * hidden widths must be equal (the gates mix layers of the encoders' width).
 */
import type { ActivationName, NetOps, Rng, tf } from '@aml/core';
import { applyDense, createDense, type DenseLayer, type FactorizedSpec } from './factorized';

/** z * U + (1 - z) * V = V + z * (U - V), elementwise; `uMinusV` = U - V. */
export function gate<T>(ops: NetOps<T>, z: T, v: T, uMinusV: T): T {
  return ops.add(v, ops.mul(z, uMinusV));
}

/** The modified MLP's layers. */
export interface ModifiedMlpBody {
  readonly encU: DenseLayer;
  readonly encV: DenseLayer;
  readonly layers: readonly DenseLayer[];
  readonly out: DenseLayer;
}

/** Check that every hidden width is the same, naming the field. */
export function equalWidths(hidden: readonly number[], what: string): number {
  if (hidden.length === 0) throw new Error(`network.hidden: a ${what} needs at least one hidden layer`);
  if (hidden.some((w) => w !== hidden[0]))
    throw new Error(`network.hidden: a ${what} needs equal widths (its gates mix layers), got [${hidden.join(', ')}]`);
  return hidden[0];
}

/** Create the layers: draws U, V, then the hidden layers, then the output layer. */
export function createModifiedMlp(
  params: Record<string, tf.Variable>,
  e: number,
  hidden: readonly number[],
  outputs: number,
  rng: Rng,
  factorized?: FactorizedSpec,
): ModifiedMlpBody {
  const w = equalWidths(hidden, 'modified-mlp');
  const encU = createDense(params, 'U_W', 'U_b', e, w, rng, factorized);
  const encV = createDense(params, 'V_W', 'V_b', e, w, rng, factorized);
  const layers = hidden.map((_, l) => createDense(params, `W${l}`, `b${l}`, l === 0 ? e : w, w, rng, factorized));
  const out = createDense(params, `W${hidden.length}`, `b${hidden.length}`, w, outputs, rng, factorized);
  return { encU, encV, layers, out };
}

/** h0 (N, e) -> (N, outputs). */
export function modifiedMlpForward<T>(ops: NetOps<T>, h0: T, body: ModifiedMlpBody, act: ActivationName): T {
  const U = ops.activation(applyDense(ops, h0, body.encU), act);
  const V = ops.activation(applyDense(ops, h0, body.encV), act);
  const uMinusV = ops.sub(U, V);
  let h = h0;
  for (const layer of body.layers) h = gate(ops, ops.activation(applyDense(ops, h, layer), act), V, uMinusV);
  return applyDense(ops, h, body.out);
}

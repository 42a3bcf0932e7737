/**
 * Building plain MLPs for the derivative engines: Glorot-normal weights from a seeded
 * `Rng` (Glorot & Bengio 2010: std = sqrt(2 / (fan_in + fan_out))), zero biases.
 */
import { ACTIVATION_NAMES, check, positiveInt, tf, type ActivationName, type Rng } from '@aml/core';
import type { MlpParams } from './engine';

/** Shape of an MLP. */
export interface MlpConfig {
  /** Number of inputs d. */
  readonly inputs: number;
  /** Widths of the hidden layers, e.g. [50, 50, 50, 50]. */
  readonly hidden: readonly number[];
  /** Number of outputs m. */
  readonly outputs: number;
  /** Hidden activation. */
  readonly activation: ActivationName;
}

/** A fresh MLP with Glorot-normal weights drawn from rng. Dispose with `disposeMlp`. */
export function createMlp(config: MlpConfig, rng: Rng): MlpParams {
  const sizes = [config.inputs, ...config.hidden, config.outputs];
  sizes.forEach((s, i) => {
    const what = i === 0 ? 'inputs' : i === sizes.length - 1 ? 'outputs' : `hidden layer ${i - 1} width`;
    check(positiveInt(), s, `network: ${what}`);
  });
  if (!(ACTIVATION_NAMES as readonly string[]).includes(config.activation)) {
    throw new Error(`network: unknown activation "${config.activation}"; use one of ${ACTIVATION_NAMES.join(', ')}`);
  }
  const weights: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [i, o] = [sizes[l], sizes[l + 1]];
    const std = Math.sqrt(2 / (i + o));
    // Inside tidy: the initial tensors are released, the variables keep their own reference.
    weights.push(tf.tidy(() => tf.variable(tf.tensor2d(rng.normalArray(i * o, 0, std), [i, o]))));
    biases.push(tf.tidy(() => tf.variable(tf.zeros([o]))));
  }
  return { weights, biases, activation: config.activation };
}

/** All trainable variables of an MLP, in a stable order (W0, b0, W1, b1, ...). */
export function mlpVariables(net: MlpParams): tf.Variable[] {
  return net.weights.flatMap((w, l) => [w, net.biases[l]]);
}

/** Release an MLP's variables. */
export function disposeMlp(net: MlpParams): void {
  for (const v of mlpVariables(net)) v.dispose();
}

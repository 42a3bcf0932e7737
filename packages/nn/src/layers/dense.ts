/**
 * Fully connected layer y = f(x W + b).
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, checkShape, positiveInt } from './layer';
import { type LayerActivation, activationFn } from './activation';
import { type InitName, initVariable, constVariable } from './init';
import { type FusedDenseActivation, denseStack, denseStackSupported } from '../fast/dense-stack';
import { fusibleActivations } from '../fast/dense-layers';

/** Configuration of a dense layer. */
export interface DenseConfig {
  /** Features per input row. */
  readonly inputSize: number;
  /** Output features. */
  readonly units: number;
  /** Activation applied to x W + b (default 'identity'). */
  readonly activation?: LayerActivation;
  /** Kernel initialiser (default 'glorotNormal'; use 'heNormal' for ReLU). */
  readonly init?: InitName;
  /** Multiplies the initial standard deviation (default 1). */
  readonly gain?: number;
  /** Add a bias (default true). */
  readonly useBias?: boolean;
  /** Name for error messages (default 'dense'). */
  readonly name?: string;
}

/** A dense layer: its kernel W (in, units) and bias b (units). */
export interface Dense extends Layer {
  readonly W: tf.Variable;
  readonly b: tf.Variable | null;
}

/**
 * Dense layer. Input (..., inputSize) -> output (..., units); leading axes are kept.
 * With a bias and a fusible activation it runs as one fused operation where the backend has it
 * (`denseStack`), otherwise as matMul, add and the activation.
 *
 * @example
 *   const l = dense({ inputSize: 3, units: 4, activation: 'relu', init: 'heNormal' }, new Rng(0));
 *   l.apply(tf.zeros([8, 3])).shape // [8, 4]
 */
export function dense(config: DenseConfig, rng: Rng): Dense {
  const name = `dense '${config.name ?? 'dense'}'`;
  const inp = positiveInt(name, 'inputSize', config.inputSize);
  const units = positiveInt(name, 'units', config.units);
  const act = activationFn(config.activation ?? 'identity', name);
  const W = initVariable(config.init ?? 'glorotNormal', [inp, units], rng, config.gain ?? 1, name);
  const b = config.useBias === false ? null : constVariable([units], 0);
  const actName = config.activation ?? 'identity';
  const fusedAct = fusibleActivations([actName]) ? (actName as FusedDenseActivation) : null;
  return {
    name,
    W,
    b,
    params: b ? [W, b] : [W],
    kernels: [W],
    state: [],
    apply(x: tf.Tensor): tf.Tensor {
      if (x.rank < 1 || x.shape[x.rank - 1] !== inp) {
        checkShape(name, x, [...x.shape.slice(0, -1).map(() => null), inp]);
      }
      return tf.tidy(() => {
        // matMul wants rank 2: (..., in) -> (M, in) -> (M, units) -> (..., units)
        const lead = x.shape.slice(0, -1);
        const x2 = x.reshape([-1, inp]);
        if (fusedAct && b && x.dtype === 'float32' && denseStackSupported()) {
          return denseStack(x2 as tf.Tensor2D, [W], [b], [fusedAct]).reshape([...lead, units]); // one operation
        }
        let y = tf.matMul(x2, W);
        if (b) y = tf.add(y, b);
        return act(y).reshape([...lead, units]);
      });
    },
  };
}

/**
 * Composition of layers, and the multilayer perceptron built from it.
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, collect } from './layer';
import { dense } from './dense';
import { dropout } from './dropout';
import { batchNorm, layerNorm } from './norm';
import { type LayerActivation, activationFn } from './activation';
import type { InitName } from './init';
import { fusedDenseLayers, fusibleActivations } from '../fast/dense-layers';

/** Apply layers in order: x -> l_n(...l_1(x)). Shapes follow the layers. */
export function sequential(layers: readonly Layer[], name = 'sequential'): Layer {
  return {
    name,
    ...collect(layers),
    apply(x, opts) {
      return tf.tidy(() => layers.reduce((h, l) => l.apply(h, opts), x));
    },
  };
}

/** Configuration of a multilayer perceptron. */
export interface MlpConfig {
  /** Layer widths including input and output, e.g. [2, 32, 32, 1]. */
  readonly sizes: readonly number[];
  /** Hidden activation (default 'tanh'). */
  readonly activation?: LayerActivation;
  /** Output activation (default 'identity': return logits for classification). */
  readonly outputActivation?: LayerActivation;
  /** Kernel initialiser (default: heNormal for relu-like, glorotNormal otherwise). */
  readonly init?: InitName;
  /** Dropout rate after each hidden activation (default 0). */
  readonly dropout?: number;
  /** Normalisation after each hidden linear map, before the activation (default 'none'). */
  readonly norm?: 'none' | 'batch' | 'layer';
  /** Name prefix for error messages (default 'mlp'). */
  readonly name?: string;
  /**
   * Run the layers as one fused operation where the backend has the kernel (default true; used when
   * there is no norm and no dropout and every activation is identity, relu, leakyRelu, sigmoid or tanh).
   * false forces plain tfjs ops; both give the same results to float rounding.
   */
  readonly fused?: boolean;
}

/**
 * Multilayer perceptron. Input (N, sizes[0]) -> output (N, sizes[last]).
 *
 * @example
 *   const net = mlp({ sizes: [2, 16, 16, 1], activation: 'relu', dropout: 0.1, norm: 'batch' }, new Rng(7));
 *   const y = net.apply(x, { training: true }); // (N, 1)
 */
export function mlp(config: MlpConfig, rng: Rng): Layer {
  const prefix = config.name ?? 'mlp';
  const s = config.sizes;
  if (s.length < 2)
    throw new Error(`mlp '${prefix}': sizes needs at least input and output sizes, got [${s.join(', ')}]`);
  const act = config.activation ?? 'tanh';
  const init =
    config.init ??
    (['relu', 'leakyRelu', 'elu', 'gelu', 'geluTanh', 'silu', 'mish'].includes(act) ? 'heNormal' : 'glorotNormal');
  const acts = s.slice(1).map((_, i) => (i === s.length - 2 ? (config.outputActivation ?? 'identity') : act));
  const plainDense = (config.norm ?? 'none') === 'none' && !((config.dropout ?? 0) > 0);
  if (config.fused !== false && plainDense && fusibleActivations(acts)) {
    const denses = acts.map((a, i) =>
      dense({ inputSize: s[i], units: s[i + 1], activation: a, init, name: `${prefix}.${i}` }, rng),
    );
    return fusedDenseLayers(denses, acts, `mlp '${prefix}'`);
  }
  const layers: Layer[] = [];
  for (let i = 0; i < s.length - 1; i++) {
    const last = i === s.length - 2;
    const norm = last ? 'none' : (config.norm ?? 'none');
    if (norm === 'none') {
      layers.push(
        dense(
          {
            inputSize: s[i],
            units: s[i + 1],
            activation: last ? (config.outputActivation ?? 'identity') : act,
            init,
            name: `${prefix}.${i}`,
          },
          rng,
        ),
      );
    } else {
      layers.push(dense({ inputSize: s[i], units: s[i + 1], init, name: `${prefix}.${i}`, useBias: false }, rng));
      const n = { features: s[i + 1], name: `${prefix}.${i}.norm` };
      layers.push(norm === 'batch' ? batchNorm(n) : layerNorm(n));
      layers.push(activationLayer(act));
    }
    if (!last && (config.dropout ?? 0) > 0)
      layers.push(dropout({ rate: config.dropout!, name: `${prefix}.${i}.dropout` }, rng));
  }
  return sequential(layers, `mlp '${prefix}'`);
}

/** A parameter-free layer applying an activation. Shape-preserving. */
export function activationLayer(name: LayerActivation): Layer {
  const f = activationFn(name);
  return { name: `activation '${name}'`, params: [], kernels: [], state: [], apply: (x) => tf.tidy(() => f(x)) };
}

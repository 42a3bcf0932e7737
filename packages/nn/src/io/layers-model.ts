/**
 * `@aml/nn` MLPs and the TensorFlow.js Layers format (`model.json` + weights), in both directions:
 * a Keras or tfjs dense model (Sequential of Dense layers, e.g. converted from Keras with
 * `tensorflowjs_converter --input_format=keras net.h5 out/`) loads into the matching `mlp`, and an `mlp`
 * exports to artifacts that `tf.loadLayersModel` reads.
 */
import { denseLayersFromModel, denseLayersToArtifacts, Rng, tf, type DenseLayerData } from '@aml/core';
import type { Layer } from '../layers/layer';
import type { LayerActivation } from '../layers/activation';
import { mlp, type MlpConfig } from '../layers/sequential';

/** The MLP settings a dense Layers model implies: widths, hidden and output activation. */
export function mlpConfigOf(layers: readonly DenseLayerData[], where = 'layers import'): MlpConfig {
  const hidden = layers.slice(0, -1).map((l) => l.activation);
  const bad = hidden.findIndex((a) => a !== hidden[0]);
  if (bad >= 0)
    throw new Error(
      `${where}: hidden layers use different activations (${hidden.join(', ')}); an mlp has one hidden activation`,
    );
  return {
    sizes: [layers[0].kernel.shape[0], ...layers.map((l) => l.kernel.shape[1])],
    activation: (hidden[0] ?? 'tanh') as LayerActivation,
    outputActivation: layers[layers.length - 1].activation as LayerActivation,
  };
}

/**
 * Assign dense layers' weights to an `mlp` (its params W0 (in, out), b0, W1, b1, ...). Every count and
 * shape is checked first (the error names the parameter and both shapes); nothing changes when one fails.
 */
export function assignDenseWeights(net: Layer, layers: readonly DenseLayerData[], where = 'layers import'): void {
  const values = layers.flatMap((l) => [l.kernel, l.bias]);
  if (net.params.length !== values.length)
    throw new Error(
      `${where}: the model has ${layers.length} Dense layers (${values.length} arrays) but ${net.name} has ${net.params.length} parameters`,
    );
  net.params.forEach((p, i) => {
    const s = values[i].shape;
    if (s.length !== p.shape.length || s.some((d, k) => d !== p.shape[k])) {
      throw new Error(
        `${where}: ${i % 2 === 0 ? 'kernel' : 'bias'} of Dense layer ${i >> 1} has shape (${s}) but ${net.name} expects (${p.shape})`,
      );
    }
  });
  net.params.forEach((p, i) => tf.tidy(() => p.assign(tf.tensor(values[i].data, [...values[i].shape]))));
}

/**
 * Load a dense Layers model into a new `mlp` of the matching shape and activations.
 * @param handler e.g. `layersModelFiles('keras-export')` (from `@aml/core/node`) or `tf.io.fromMemory(artifacts)`
 * @example
 *   const { net, config } = await mlpFromLayersModel(layersModelFiles('out'));
 *   net.apply(tf.zeros([5, config.sizes[0]])) // (5, outputs)
 */
export async function mlpFromLayersModel(
  handler: tf.io.IOHandler,
  name = 'imported',
): Promise<{ net: Layer; config: MlpConfig }> {
  const layers = await denseLayersFromModel(handler);
  const config = { ...mlpConfigOf(layers), name };
  const net = mlp(config, new Rng(0)); // initial values are replaced
  assignDenseWeights(net, layers);
  return { net, config };
}

/**
 * Load a dense Layers model's weights into an existing `mlp` built with `config`; activations must match.
 */
export async function loadLayersWeights(net: Layer, config: MlpConfig, handler: tf.io.IOHandler): Promise<void> {
  const layers = await denseLayersFromModel(handler);
  const got = mlpConfigOf(layers);
  const want = { activation: config.activation ?? 'tanh', outputActivation: config.outputActivation ?? 'identity' };
  if (got.activation !== want.activation && layers.length > 1)
    throw new Error(
      `layers import: the model's hidden activation is ${got.activation} but ${net.name} uses ${want.activation}`,
    );
  if (got.outputActivation !== want.outputActivation)
    throw new Error(
      `layers import: the model's output activation is ${got.outputActivation} but ${net.name} uses ${want.outputActivation}`,
    );
  assignDenseWeights(net, layers);
}

/**
 * An `mlp` (no norm, no dropout) as Layers-format artifacts, for `writeLayersModel` or `tf.io.fromMemory`.
 * @param config the config it was built with (widths and activations)
 */
export function mlpToLayersArtifacts(net: Layer, config: MlpConfig, name = 'mlp'): Promise<tf.io.ModelArtifacts> {
  if ((config.norm ?? 'none') !== 'none')
    throw new Error(`layers export: ${net.name} has ${config.norm} normalisation; only plain dense stacks export`);
  const s = config.sizes;
  if (net.params.length !== 2 * (s.length - 1))
    throw new Error(
      `layers export: ${net.name} has ${net.params.length} parameters, expected ${2 * (s.length - 1)} for sizes [${s.join(', ')}]`,
    );
  const layers: DenseLayerData[] = s.slice(1).map((units, i) => ({
    kernel: { shape: [s[i], units], data: Float32Array.from(net.params[2 * i].dataSync()) }, // (in, units)
    bias: { shape: [units], data: Float32Array.from(net.params[2 * i + 1].dataSync()) }, // (units)
    activation: i === s.length - 2 ? (config.outputActivation ?? 'identity') : (config.activation ?? 'tanh'),
  }));
  return denseLayersToArtifacts(layers, name);
}

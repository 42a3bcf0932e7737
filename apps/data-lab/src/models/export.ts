/**
 * A saved data-lab MLP (or linear/logistic model trained as a network) in the TensorFlow.js Layers format,
 * for tools outside the project: `tf.loadLayersModel` reads it, and `tensorflowjs_converter
 * --input_format=tfjs_layers_model --output_format=keras <dir>/model.json net.h5` turns it into Keras.
 * The model takes the preprocessed features (the preprocessing stays in model/'s data); a classifier
 * ends in softmax, so it gives class probabilities as `predict` does.
 */
import { denseLayersToArtifacts, type tf, type DenseLayerData } from '@aml/core';
import { writeLayersModel } from '@aml/core/node';
import type { SavedNet } from './net';

/** The dense layers of a saved feed-forward network (weights W0 (in, out), b0, W1, b1, ...). */
export function netDenseLayers(saved: SavedNet): DenseLayerData[] {
  if (saved.arch.kind !== 'mlp')
    throw new Error(
      `model '${saved.name}' is an ${saved.arch.kind}; only feed-forward networks export to the Layers format`,
    );
  const { sizes, activation } = saved.arch;
  if (saved.weights.length !== 2 * (sizes.length - 1))
    throw new Error(`model '${saved.name}': ${saved.weights.length} weight arrays for sizes [${sizes.join(', ')}]`);
  return sizes.slice(1).map((units, i) => ({
    kernel: { shape: [sizes[i], units], data: Float32Array.from(saved.weights[2 * i].values) }, // (in, units)
    bias: { shape: [units], data: Float32Array.from(saved.weights[2 * i + 1].values) }, // (units)
    activation: i < sizes.length - 2 ? activation : saved.task === 'classification' ? 'softmax' : 'identity',
  }));
}

/** A saved network as Layers-format artifacts. */
export function netToLayers(saved: SavedNet): Promise<tf.io.ModelArtifacts> {
  return denseLayersToArtifacts(netDenseLayers(saved), saved.name);
}

/** Write a saved network as `dir/model.json` + `dir/weights.bin`; returns model.json's path. */
export async function writeNetLayers(dir: string, saved: SavedNet): Promise<string> {
  return writeLayersModel(dir, await netToLayers(saved));
}

/**
 * A trained plain-MLP PINN network in the TensorFlow.js Layers format (`model.json` + `weights.bin`):
 * loadable with `tf.loadLayersModel`, and convertible to Keras with
 *
 *   tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras <dir>/model.json net.h5
 *
 * The input scaling x' = (x - shift) * factor becomes the first layer (`dense_0`, linear, kernel
 * diag(factor), bias -shift * factor), so the exported model takes the problem's own coordinates. The
 * model gives the network's output: a problem with a trial solution h1 + h2 N applies that on top.
 */
import { denseLayersToArtifacts, requireNode, type tf, type DenseLayerData } from '@aml/core';
import type { NetworkLike } from '../derivatives/engine';
import { mlpView } from '../networks/mlp';
import type { InputScaling } from '../solver/fields';

/**
 * The dense layers of a plain MLP (`kind: 'mlp'` or bare weights), its input scaling first.
 * @param scaling x' = (x - shift) * factor before the first layer (default: none)
 */
export function mlpDenseLayers(net: NetworkLike, scaling?: InputScaling): DenseLayerData[] {
  const mlp = mlpView(net);
  if (!mlp)
    throw new Error(
      `layers export: the network is of kind '${(net as { kind?: string }).kind}'; only plain MLPs (kind 'mlp') export to the Layers format`,
    );
  const d = mlp.weights[0].shape[0] as number;
  const out: DenseLayerData[] = [];
  if (scaling) {
    if (scaling.shift.length !== d || scaling.factor.length !== d)
      throw new Error(`layers export: scaling needs ${d} shifts and factors (one per input)`);
    const kernel = new Float32Array(d * d);
    for (let i = 0; i < d; i++) kernel[i * d + i] = scaling.factor[i]; // (d, d) diagonal
    out.push({
      kernel: { shape: [d, d], data: kernel },
      bias: { shape: [d], data: Float32Array.from(scaling.shift, (s, i) => -s * scaling.factor[i]) },
      activation: 'identity',
    });
  }
  mlp.weights.forEach((w, l) => {
    const [inp, units] = w.shape as [number, number];
    out.push({
      kernel: { shape: [inp, units], data: Float32Array.from(w.dataSync()) }, // (in, out)
      bias: { shape: [units], data: Float32Array.from(mlp.biases[l].dataSync()) }, // (out)
      activation: l < mlp.weights.length - 1 ? mlp.activation : 'identity',
    });
  });
  return out;
}

/** A plain MLP and its input scaling as Layers-format artifacts (for `tf.io.fromMemory` or `writeLayersModel`). */
export function mlpToLayers(net: NetworkLike, scaling?: InputScaling, name = 'pinn'): Promise<tf.io.ModelArtifacts> {
  return denseLayersToArtifacts(mlpDenseLayers(net, scaling), name);
}

/**
 * Write a plain MLP and its input scaling as `dir/model.json` + `dir/weights.bin`; returns model.json's path.
 * @example await writeMlpLayers('results/heat/layers', model.net, model.scaling);
 */
export async function writeMlpLayers(
  dir: string,
  net: NetworkLike,
  scaling?: InputScaling,
  name = 'pinn',
): Promise<string> {
  // Files are the Node half of @aml/core, loaded on use so this module also runs in a browser.
  return requireNode('writeMlpLayers').writeLayersModel(dir, await mlpToLayers(net, scaling, name));
}

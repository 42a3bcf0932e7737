/**
 * Dense networks in the TensorFlow.js Layers format (`model.json` + `weights.bin`), the format that
 * `tf.loadLayersModel` reads and `tensorflowjs_converter --input_format=tfjs_layers_model
 * --output_format=keras` turns into a Keras `.h5` file. The topology is written by tfjs itself (a
 * `tf.sequential` of `tf.layers.dense` layers), so what it writes is what tfjs and Keras expect.
 * The files themselves are written and read by `layers-files.ts` (Node only).
 */
import { tf } from '../tf';

/** One dense layer y = act(x W + b): kernel W (in, units), bias b (units), both row-major float32. */
export interface DenseLayerData {
  readonly kernel: { readonly shape: readonly [number, number]; readonly data: Float32Array };
  readonly bias: { readonly shape: readonly [number]; readonly data: Float32Array };
  /** The project's activation name (core's names, plus 'softmax'). */
  readonly activation: string;
}

/** Project activation name -> Layers (Keras) activation name, for the activations both sides compute alike. */
const TO_KERAS: Readonly<Record<string, string>> = {
  identity: 'linear',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  elu: 'elu',
  silu: 'swish',
  mish: 'mish',
  softplus: 'softplus',
  softmax: 'softmax',
};
/** Layers (Keras) activation name -> the project's. */
const FROM_KERAS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(TO_KERAS).map(([a, k]) => [k, a])),
  silu: 'silu',
};

/** The Layers (Keras) name of a project activation, or an error naming it and the ones that have one. */
export function kerasActivation(name: string, where = 'layers export'): string {
  const k = TO_KERAS[name];
  if (!k) {
    throw new Error(
      `${where}: activation '${name}' has no TensorFlow.js Layers / Keras equivalent (supported: ${Object.keys(TO_KERAS).join(', ')}); export the weights to .npz instead`,
    );
  }
  return k;
}

/** The project's name of a Layers (Keras) activation, or an error naming it. */
export function projectActivation(keras: string, where = 'layers import'): string {
  const a = FROM_KERAS[keras];
  if (!a)
    throw new Error(
      `${where}: Keras activation '${keras}' is not supported (supported: ${Object.keys(FROM_KERAS).join(', ')})`,
    );
  return a;
}

/**
 * A stack of dense layers as Layers-format artifacts (topology + weight specs + weight bytes).
 *
 * @param layers  first layer's kernel is (inputs, units); each next one takes the previous units
 * @param name    the model's name in model.json
 * @example
 *   const art = await denseLayersToArtifacts([{ kernel, bias, activation: 'tanh' }, ...], 'heat');
 *   const model = await tf.loadLayersModel(tf.io.fromMemory(art));
 */
export async function denseLayersToArtifacts(
  layers: readonly DenseLayerData[],
  name = 'model',
): Promise<tf.io.ModelArtifacts> {
  if (layers.length === 0) throw new Error('layers export: the network has no dense layer');
  layers.forEach((l, i) => {
    const [inp, units] = l.kernel.shape;
    if (l.kernel.data.length !== inp * units || l.bias.shape[0] !== units || l.bias.data.length !== units) {
      throw new Error(
        `layers export: layer ${i} has kernel (${l.kernel.shape}) with ${l.kernel.data.length} values and bias (${l.bias.shape}); expected (in, units) and (units)`,
      );
    }
    if (i > 0 && inp !== layers[i - 1].kernel.shape[1])
      throw new Error(
        `layers export: layer ${i} takes ${inp} inputs but layer ${i - 1} gives ${layers[i - 1].kernel.shape[1]}`,
      );
  });
  const model = tf.sequential({ name });
  try {
    layers.forEach((l, i) => {
      const opts = {
        units: l.kernel.shape[1],
        activation: kerasActivation(l.activation) as 'linear',
        name: `dense_${i}`,
      };
      model.add(tf.layers.dense(i === 0 ? { ...opts, inputShape: [l.kernel.shape[0]] } : opts));
    });
    const values = tf.tidy(() =>
      layers.flatMap((l) => [tf.tensor2d(l.kernel.data, [...l.kernel.shape]), tf.tensor1d(l.bias.data)]),
    );
    model.setWeights(values);
    tf.dispose(values);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return saved!;
  } finally {
    model.dispose();
  }
}

/**
 * The dense layers of a Layers-format model (written by tfjs, or by `tensorflowjs_converter` from Keras),
 * read with tfjs's own loader. Input layers are skipped; any other layer kind is refused by name.
 */
export async function denseLayersFromModel(
  handler: tf.io.IOHandler,
  where = 'layers import',
): Promise<DenseLayerData[]> {
  const model = await tf.loadLayersModel(handler);
  try {
    const out: DenseLayerData[] = [];
    for (const layer of model.layers) {
      const kind = layer.getClassName();
      if (kind === 'InputLayer') continue;
      if (kind !== 'Dense')
        throw new Error(`${where}: layer '${layer.name}' is a ${kind}; only Dense layers load into an MLP`);
      const cfg = layer.getConfig() as { activation?: string; useBias?: boolean; use_bias?: boolean };
      const [W, b] = layer.getWeights();
      const units = W.shape[1] as number;
      out.push({
        kernel: { shape: [W.shape[0] as number, units], data: Float32Array.from(W.dataSync()) },
        bias: { shape: [units], data: b ? Float32Array.from(b.dataSync()) : new Float32Array(units) }, // no bias: zeros
        activation: projectActivation(String(cfg.activation ?? 'linear'), `${where}: layer '${layer.name}'`),
      });
    }
    if (out.length === 0) throw new Error(`${where}: the model has no Dense layer`);
    return out;
  } finally {
    model.dispose();
  }
}

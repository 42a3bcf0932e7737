import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, Rng, tf } from '@aml/core';
import { layersModelFiles, writeLayersModel } from '@aml/core/node';
import { mlp } from '../layers/sequential';
import { loadLayersWeights, mlpFromLayersModel, mlpToLayersArtifacts } from './layers-model';

let tmp: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-nn-layers-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const X = Float32Array.from({ length: 7 * 3 }, (_, k) => Math.sin(0.7 * k) * 2); // (7, 3)
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** Artifacts of a tfjs model built with its own layers API: 3 -> 8 tanh -> 8 tanh -> 2 linear, random weights. */
async function tfjsModel(): Promise<{ art: tf.io.ModelArtifacts; want: Float32Array }> {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [3] }));
  model.add(tf.layers.dense({ units: 8, activation: 'tanh' }));
  model.add(tf.layers.dense({ units: 2 }));
  const want = tf.tidy(() => (model.predict(tf.tensor2d(X, [7, 3])) as tf.Tensor).dataSync() as Float32Array);
  let art: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(
      async (a) => ((art = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
    ),
  );
  model.dispose();
  return { art: art!, want };
}

describe('Layers models into @aml/nn MLPs', () => {
  it('a tf.sequential of tf.layers.dense, saved to model.json + weights.bin, imports with identical predictions (to 1e-6)', async () => {
    const { art, want } = await tfjsModel();
    const dir = path.join(tmp, 'tfjs');
    writeLayersModel(dir, art);
    const before = tf.memory().numTensors;
    const { net, config } = await mlpFromLayersModel(layersModelFiles(dir));
    expect(config).toMatchObject({ sizes: [3, 8, 8, 2], activation: 'tanh', outputActivation: 'identity' });
    expect(tf.memory().numTensors).toBe(before + 6);
    const got = tf.tidy(() => net.apply(tf.tensor2d(X, [7, 3])).dataSync());
    expect(maxDiff(got, want)).toBeLessThan(1e-6);
    // ... and into an existing mlp of the same shape
    const other = mlp({ sizes: [3, 8, 8, 2], activation: 'tanh', fused: false }, new Rng(4));
    await loadLayersWeights(other, { sizes: [3, 8, 8, 2], activation: 'tanh' }, tf.io.fromMemory(art));
    expect(
      maxDiff(
        tf.tidy(() => other.apply(tf.tensor2d(X, [7, 3])).dataSync()),
        want,
      ),
    ).toBeLessThan(1e-6);
    // the round trip back to the Layers format gives the same predictions in tfjs
    const back = await tf.loadLayersModel(tf.io.fromMemory(await mlpToLayersArtifacts(net, config)));
    expect(
      maxDiff(
        tf.tidy(() => (back.predict(tf.tensor2d(X, [7, 3])) as tf.Tensor).dataSync()),
        want,
      ),
    ).toBeLessThan(1e-6);
    back.dispose();
    [...net.params, ...other.params].forEach((p) => p.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a Keras model as tensorflowjs_converter writes it (InputLayer, model_config, relu) matches a float64 forward pass', async () => {
    const rng = new Rng(11);
    const W0 = Float32Array.from({ length: 15 }, () => rng.normal() * 0.6); // (3, 5)
    const b0 = Float32Array.from({ length: 5 }, () => rng.normal() * 0.1);
    const W1 = Float32Array.from({ length: 5 }, () => rng.normal()); // (5, 1)
    const b1 = Float32Array.of(0.25);
    const dense = (name: string, units: number, activation: string) => ({
      class_name: 'Dense',
      config: {
        name,
        trainable: true,
        dtype: 'float32',
        units,
        activation,
        use_bias: true,
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    });
    const dir = path.join(tmp, 'keras');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({
        format: 'layers-model',
        generatedBy: 'keras v2.15.0',
        convertedBy: 'TensorFlow.js Converter v4.22.0',
        modelTopology: {
          keras_version: '2.15.0',
          backend: 'tensorflow',
          model_config: {
            class_name: 'Sequential',
            config: {
              name: 'sequential',
              layers: [
                {
                  class_name: 'InputLayer',
                  config: {
                    batch_input_shape: [null, 3],
                    dtype: 'float32',
                    sparse: false,
                    ragged: false,
                    name: 'dense_input',
                  },
                },
                dense('dense', 5, 'relu'),
                dense('dense_1', 1, 'linear'),
              ],
            },
          },
        },
        weightsManifest: [
          {
            paths: ['group1-shard1of1.bin'],
            weights: [
              { name: 'dense/kernel', shape: [3, 5], dtype: 'float32' },
              { name: 'dense/bias', shape: [5], dtype: 'float32' },
              { name: 'dense_1/kernel', shape: [5, 1], dtype: 'float32' },
              { name: 'dense_1/bias', shape: [1], dtype: 'float32' },
            ],
          },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'group1-shard1of1.bin'),
      Buffer.concat([W0, b0, W1, b1].map((a) => Buffer.from(a.buffer))),
    );
    const { net, config } = await mlpFromLayersModel(layersModelFiles(dir));
    expect(config).toMatchObject({ sizes: [3, 5, 1], activation: 'relu', outputActivation: 'identity' });
    const got = tf.tidy(() => net.apply(tf.tensor2d(X, [7, 3])).dataSync());
    for (let n = 0; n < 7; n++) {
      let y = b1[0];
      for (let j = 0; j < 5; j++) {
        let h = b0[j];
        for (let i = 0; i < 3; i++) h += X[3 * n + i] * W0[5 * i + j];
        y += Math.max(h, 0) * W1[j];
      }
      expect(Math.abs(got[n] - y)).toBeLessThan(1e-6);
    }
    net.params.forEach((p) => p.dispose());
  });

  it('mismatches are named: a wrong shape, a missing weights file, a non-dense layer', async () => {
    const { art } = await tfjsModel();
    const small = mlp({ sizes: [3, 4, 4, 2], activation: 'tanh' }, new Rng(1));
    await expect(
      loadLayersWeights(small, { sizes: [3, 4, 4, 2], activation: 'tanh' }, tf.io.fromMemory(art)),
    ).rejects.toThrow('layers import: kernel of Dense layer 0 has shape (3,8) but');
    small.params.forEach((p) => p.dispose());
    const dir = path.join(tmp, 'broken');
    writeLayersModel(dir, art);
    fs.rmSync(path.join(dir, 'weights.bin'));
    await expect(mlpFromLayersModel(layersModelFiles(dir))).rejects.toThrow(
      `lists weights file weights.bin, which is missing from ${dir}`,
    );
    const conv = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [4] }), tf.layers.dropout({ rate: 0.5, name: 'drop' })],
    });
    let a2: tf.io.ModelArtifacts | undefined;
    await conv.save(
      tf.io.withSaveHandler(
        async (a) => ((a2 = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
      ),
    );
    conv.dispose();
    await expect(mlpFromLayersModel(tf.io.fromMemory(a2!))).rejects.toThrow(
      "layers import: layer 'drop' is a Dropout; only Dense layers load into an MLP",
    );
  });
});

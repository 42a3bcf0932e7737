/**
 * TensorFlow.js Layers models as files (Node only): `model.json` with a weights manifest pointing at
 * `weights.bin`, the layout `tf.loadLayersModel('file://dir/model.json')` (tfjs-node) and
 * `tensorflowjs_converter` read. Reading needs no native backend: `layersModelFiles` is an IO handler.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { tf } from '../tf';

/** Name of the weights file next to model.json. */
export const LAYERS_WEIGHTS_FILE = 'weights.bin';

/** Concatenate weight data given as one buffer or several. */
function weightBytes(data: tf.io.WeightData | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  const parts = Array.isArray(data) ? data : [data];
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}

/**
 * Write Layers-format artifacts into `dir` (created) as model.json + weights.bin.
 * @returns the path of model.json
 */
export function writeLayersModel(dir: string, artifacts: tf.io.ModelArtifacts): string {
  fs.mkdirSync(dir, { recursive: true });
  const bytes = weightBytes(artifacts.weightData);
  fs.writeFileSync(path.join(dir, LAYERS_WEIGHTS_FILE), bytes);
  const json = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [LAYERS_WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  const file = path.join(dir, 'model.json');
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

/**
 * An IO handler that loads a Layers model from `dir/model.json` and the weight files its manifest lists
 * (for `tf.loadLayersModel(layersModelFiles(dir))` without tfjs-node). Missing or short files fail naming them.
 */
export function layersModelFiles(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const file = path.join(dir, 'model.json');
      if (!fs.existsSync(file))
        throw new Error(`${file} not found; give the folder holding a TensorFlow.js Layers model.json`);
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as tf.io.ModelJSON;
      if (!json.modelTopology || !Array.isArray(json.weightsManifest))
        throw new Error(`${file}: not a Layers model (needs modelTopology and weightsManifest)`);
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const buffers = json.weightsManifest.flatMap((g) =>
        g.paths.map((p) => {
          const f = path.join(dir, p);
          if (!fs.existsSync(f)) throw new Error(`${file} lists weights file ${p}, which is missing from ${dir}`);
          return fs.readFileSync(f);
        }),
      );
      const all = Buffer.concat(buffers);
      const need = specs.reduce(
        (n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'float32' || s.dtype === 'int32' ? 4 : 1),
        0,
      );
      if (!specs.some((s) => s.quantization) && all.length < need)
        throw new Error(
          `${file}: the weight files hold ${all.length} bytes but the manifest needs ${need} (truncated copy?)`,
        );
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      };
    },
  };
}

/**
 * `pde-lab export <results-dir> --format layers|npz [--out path]`: the trained network of a results folder
 * for other tools. 'layers': a TensorFlow.js Layers model (model.json + weights.bin; `tf.loadLayersModel`,
 * or Keras via `tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras
 * <out>/model.json net.h5`). 'npz': the weights and input scaling for NumPy (the forward pass is in
 * @aml/pinn's README). Both hold the network's output; a trial solution h1 + h2 N is applied on top.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend, type BackendChoice } from '@aml/core';
import type { ProblemAdapter } from '../adapter/contract';
import { MODEL_DIR, modelDirOf } from '../adapter/weights';
import { ConfigError, loadExperiment } from '../catalog/catalog';

/** Formats `export` writes. */
export const EXPORT_FORMATS = ['layers', 'npz'] as const;

/** Options of `exportResults`. */
export interface ExportOptions {
  /** A results folder written by `pde-lab run`. */
  readonly dir: string;
  readonly format: (typeof EXPORT_FORMATS)[number];
  /** Folder (layers) or file (npz) to write; default `<dir>/export/layers` or `<dir>/export/network.npz`. */
  readonly out?: string;
  /** Replace an existing export. */
  readonly force?: boolean;
  readonly backend?: BackendChoice;
  /** Where the backend line goes (default stderr). */
  readonly log?: (line: string) => void;
}

/** Load the trained model of `o.dir` and write it in `o.format`; returns the files written. */
export async function exportResults(o: ExportOptions, adapter: ProblemAdapter): Promise<string[]> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(o.format))
    throw new ConfigError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${o.format}'`);
  const config = path.join(o.dir, 'config.json');
  if (!fs.existsSync(config))
    throw new ConfigError(
      `${o.dir} is not a results folder (no config.json); give a folder written by pde-lab run, e.g. results/heat`,
    );
  const modelDir = modelDirOf(o.dir);
  if (!modelDir)
    throw new ConfigError(
      `${o.dir} has no trained model (no ${MODEL_DIR}/: the run did not finish); finish it with pde-lab run --resume, or run it again`,
    );
  const out = o.out ?? path.join(o.dir, 'export', o.format === 'layers' ? 'layers' : 'network.npz');
  if (fs.existsSync(out) && !o.force)
    throw new ConfigError(`${out} already exists; pass --force to replace it, or choose --out`);
  const parsed = adapter.parse(loadExperiment(config).experiment.problem, `${config}: problem`);
  await initBackend({ backend: o.backend ?? 'auto', log: o.log });
  const built = adapter.build(parsed);
  try {
    if (!built.exportModel) throw new ConfigError('this problem kind cannot export its network');
    built.loadCheckpoint(modelDir);
    if (o.format === 'npz') fs.mkdirSync(path.dirname(out), { recursive: true });
    try {
      return await built.exportModel(o.format, out);
    } catch (e) {
      throw new ConfigError(`${o.dir}: ${(e as Error).message}`);
    }
  } finally {
    built.dispose();
  }
}

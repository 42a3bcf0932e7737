import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tf } from '@aml/core';
import { layersModelFiles } from '@aml/core/node';
import { readNpz } from '@aml/data';
import { pinnAdapter } from '../adapter/pinn';
import { tinyHeat } from '../testing/tiny';
import { exportResults } from './export';
import { runExperiment } from './run';

let root: string;
let out: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-pde-export-'));
  const file = path.join(root, 'tiny.json');
  fs.writeFileSync(file, JSON.stringify(tinyHeat()));
  out = path.join(root, 'tiny');
  await runExperiment({ experiment: file, out, backend: 'wasm', echo: null }, pinnAdapter);
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** What the trained model of `out` predicts at `pts` ((n, 2) flat), through the app's own loader. */
function predictions(pts: Float64Array): Float64Array {
  const b = pinnAdapter.build(
    pinnAdapter.parse(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).problem, 'test'),
  );
  try {
    b.loadCheckpoint(path.join(out, 'model'));
    return b.solution().predict(pts);
  } finally {
    b.dispose();
  }
}

const pts = Float64Array.of(0.1, 0.2, 0.5, 0.5, 0.9, 0.8); // (3, 2): x, t

describe('pde-lab export', () => {
  it('--format layers writes model.json + weights.bin that tf.loadLayersModel reads, predicting what the model predicts (1e-6)', async () => {
    const files = await exportResults(
      { dir: out, format: 'layers', backend: 'wasm', log: () => undefined },
      pinnAdapter,
    );
    expect(files).toEqual([
      path.join(out, 'export', 'layers', 'model.json'),
      path.join(out, 'export', 'layers', 'weights.bin'),
    ]);
    const want = predictions(pts);
    const m = await tf.loadLayersModel(layersModelFiles(path.join(out, 'export', 'layers')));
    const got = tf.tidy(() => (m.predict(tf.tensor2d(Float32Array.from(pts), [3, 2])) as tf.Tensor).dataSync());
    m.dispose();
    for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-6);
    await expect(
      exportResults({ dir: out, format: 'layers', backend: 'wasm', log: () => undefined }, pinnAdapter),
    ).rejects.toThrow(
      `${path.join(out, 'export', 'layers')} already exists; pass --force to replace it, or choose --out`,
    );
  });

  it('--format npz writes the weights and input scaling', async () => {
    const target = path.join(root, 'net.npz');
    expect(
      await exportResults({ dir: out, format: 'npz', out: target, backend: 'wasm', log: () => undefined }, pinnAdapter),
    ).toEqual([target]);
    const npz = readNpz(target);
    expect(Object.keys(npz).sort()).toEqual(['W0', 'W1', 'activation', 'b0', 'b1', 'factor', 'layers', 'shift']);
  });

  it('a folder without a trained model, and an unknown format, are refused naming the fix', async () => {
    await expect(exportResults({ dir: root, format: 'npz' }, pinnAdapter)).rejects.toThrow(
      `${root} is not a results folder (no config.json)`,
    );
    await expect(exportResults({ dir: out, format: 'onnx' as never }, pinnAdapter)).rejects.toThrow(
      "--format must be one of layers, npz, got 'onnx'",
    );
  });
});

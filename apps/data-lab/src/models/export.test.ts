import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, Rng, tf } from '@aml/core';
import { layersModelFiles } from '@aml/core/node';
import { writeNetLayers } from './export';
import type { SavedNet } from './net';
import { LSTM, MLP } from './registry';

let tmp: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-dl-export-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const X = {
  data: Float64Array.from(Float32Array.from({ length: 90 }, (_, i) => Math.cos(0.9 * i))),
  rows: 30,
  cols: 3,
};
const settings = { epochs: 8, batchSize: 10, learningRate: 0.03, hidden: [6, 5] };

describe.each([
  ['classification', 3, Float64Array.from({ length: 30 }, (_, i) => i % 3)],
  ['regression', 0, Float64Array.from({ length: 30 }, (_, i) => X.data[3 * i] - X.data[3 * i + 1])],
] as const)('data-lab MLP to the Layers format (%s)', (task, K, y) => {
  it('tf.loadLayersModel reads the export and predicts what data-lab predicts, to 1e-6', async () => {
    const m = MLP.create(task, 3, K, settings, new Rng(1));
    await m.fit({ X, y }, new Rng(2));
    const want = m.predict(X); // (30, K) probabilities or (30) values
    const saved = m.save() as SavedNet;
    m.dispose();
    const dir = path.join(tmp, task);
    await writeNetLayers(dir, saved);
    const model = await tf.loadLayersModel(layersModelFiles(dir));
    const got = tf.tidy(() => (model.predict(tf.tensor2d(Float32Array.from(X.data), [30, 3])) as tf.Tensor).dataSync());
    model.dispose();
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]));
    expect(worst).toBeLessThan(1e-6);
  });
});

it('an LSTM is refused naming the model and what exports', () => {
  const m = LSTM.create('regression', 4, 0, settings, new Rng(3));
  const saved = m.save() as SavedNet;
  m.dispose();
  return expect(writeNetLayers(path.join(tmp, 'lstm'), saved)).rejects.toThrow(
    `model '${saved.name}' is an lstm; only feed-forward networks export to the Layers format`,
  );
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { saveCheckpoint } from './io';
import { isSavedModel, loadModel, restoreModelVariables, saveModel } from './model';

let tmp: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = mkdtempSync(join(tmpdir(), 'aml-model-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('saveModel / loadModel', () => {
  it('variables, arrays and data round-trip bit-exactly; saving again replaces the model; no tensor leaks', () => {
    const w = tf.variable(
      tf.tensor2d([
        [0.1, -2.5e-8],
        [3.3333333, 1e30],
      ]),
    );
    const b = tf.variable(tf.tensor1d([Math.PI, -0]));
    const dir = join(tmp, 'm1');
    saveModel(dir, {
      variables: { w, b },
      arrays: { mean: { shape: [3], data: Float32Array.of(1, 2, 3) } },
      data: { layers: [2, 2] },
      config: { app: 'test' },
    });
    saveModel(dir, {
      variables: { w, b },
      arrays: { mean: { shape: [3], data: Float32Array.of(1, 2, 3) } },
      data: { layers: [2, 2] },
      config: { app: 'test' },
    });
    expect(isSavedModel(dir)).toBe(true);
    const m = loadModel(dir);
    expect(m.data).toEqual({ layers: [2, 2] });
    expect(m.manifest.config).toEqual({ app: 'test', kind: 'model' });
    expect([...m.arrays.keys()]).toEqual(['w', 'b', 'mean']);
    expect(Array.from(m.arrays.get('w')!.data)).toEqual(Array.from(w.dataSync()));
    expect(m.arrays.get('w')!.shape).toEqual([2, 2]);
    expect(Array.from(m.arrays.get('mean')!.data)).toEqual([1, 2, 3]);
    const w2 = tf.variable(tf.zeros([2, 2]));
    const b2 = tf.variable(tf.zeros([2]));
    const mid = tf.memory().numTensors;
    restoreModelVariables(dir, { w: w2, b: b2 });
    expect(tf.memory().numTensors).toBe(mid);
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w.dataSync()));
    expect(Array.from(b2.dataSync())).toEqual(Array.from(b.dataSync()));
    const bad = tf.variable(tf.zeros([3, 2]));
    expect(() => restoreModelVariables(dir, { w: bad })).toThrow(
      `checkpoint ${dir}: variable 'w' has shape [2, 2] in the checkpoint but [3, 2] in the model`,
    );
    for (const v of [w, b, w2, b2, bad]) v.dispose();
  });

  it('refuses to overwrite or load a training checkpoint as a model, naming the folder', () => {
    const v = tf.variable(tf.ones([2]));
    const dir = join(tmp, 'train-ckpt');
    saveCheckpoint(dir, { params: [['v', v]], step: 5 });
    expect(isSavedModel(dir)).toBe(false);
    expect(() => saveModel(dir, { variables: { v } })).toThrow(
      `${dir} holds a training checkpoint (step 5), not a saved model`,
    );
    expect(() => loadModel(dir)).toThrow(`${dir} holds a training checkpoint, not a saved model`);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).step).toBe(5);
    v.dispose();
  });
});

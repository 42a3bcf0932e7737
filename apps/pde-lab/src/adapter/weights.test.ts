import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, tf } from '@aml/core';
import { tinyHeat } from '../testing/tiny';
import { pinnAdapter } from './pinn';
import { loadVariables, modelDirOf, saveVariables } from './weights';

let tmp: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-pde-weights-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A built tiny heat problem whose network is initialised from `seed`. */
const build = (seed: number) =>
  pinnAdapter.build(
    pinnAdapter.parse((tinyHeat((p) => (p.training.seed = seed)) as { problem: unknown }).problem, 'test'),
  );
const points = Float64Array.of(0.1, 0.2, 0.5, 0.5, 0.93, 0.71); // (3, 2): x, t

describe('pde-lab model files', () => {
  it('save then load in another model gives identical predictions, in the checkpoint format, without leaks', () => {
    const a = build(1);
    const b = build(2);
    const results = path.join(tmp, 'run');
    try {
      const want = a.solution().predict(points);
      expect(Array.from(b.solution().predict(points))).not.toEqual(Array.from(want));
      a.saveCheckpoint(path.join(results, 'model'));
      const manifest = JSON.parse(fs.readFileSync(path.join(results, 'model', 'manifest.json'), 'utf8'));
      expect([manifest.format, manifest.config.kind, manifest.config.app]).toEqual([
        'aml-checkpoint',
        'model',
        'pde-lab',
      ]);
      expect(modelDirOf(results)).toBe(path.join(results, 'model'));
      const before = tf.memory().numTensors;
      b.loadCheckpoint(modelDirOf(results)!);
      expect(tf.memory().numTensors).toBe(before);
      expect(Array.from(b.solution().predict(points))).toEqual(Array.from(want));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('an older checkpoint/weights.json still loads, with a one-line notice', () => {
    const a = build(3);
    const b = build(4);
    const results = path.join(tmp, 'old');
    try {
      // The older format, as pde-lab wrote it: name -> shape and values in JSON.
      const w = build(3);
      const dir = path.join(results, 'checkpoint');
      fs.mkdirSync(dir, { recursive: true });
      w.saveCheckpoint(path.join(tmp, 'tmp-model'));
      w.dispose();
      const saved = JSON.parse(fs.readFileSync(path.join(tmp, 'tmp-model', 'manifest.json'), 'utf8'));
      const bin = fs.readFileSync(path.join(tmp, 'tmp-model', saved.weightsFile));
      const variables: Record<string, { shape: number[]; values: number[] }> = {};
      for (const t of saved.tensors) {
        const n = t.shape.reduce((x: number, y: number) => x * y, 1);
        variables[t.key.slice('param/'.length)] = {
          shape: t.shape,
          values: Array.from({ length: n }, (_, i) => bin.readFloatLE(t.offset + 4 * i)),
        };
      }
      fs.writeFileSync(
        path.join(dir, 'weights.json'),
        JSON.stringify({ format: 'aml-weights-1', problem: 'tiny', variables }),
      );
      expect(modelDirOf(results)).toBe(dir);
      const lines: string[] = [];
      const names = Object.keys(variables);
      expect(names.length).toBeGreaterThan(1);
      // Through the app's loader with a captured notice.
      const vs: Record<string, tf.Variable> = Object.fromEntries(
        names.map((k) => [k, tf.variable(tf.zeros(variables[k].shape), true, `old-${k}`)]),
      );
      loadVariables(dir, vs, (l) => lines.push(l));
      expect(lines).toEqual([
        `pde-lab: ${path.join(dir, 'weights.json')} is in the older aml-weights-1 format, which will stop loading in a later version; run the experiment again to save model/ in the checkpoint format`,
      ]);
      for (const k of names)
        expect(Array.from(vs[k].dataSync())).toEqual(Array.from(Float32Array.from(variables[k].values)));
      Object.values(vs).forEach((v) => v.dispose());
      // And through the adapter: predictions identical to the model that was saved.
      const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        b.loadCheckpoint(dir);
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
      expect(Array.from(b.solution().predict(points))).toEqual(Array.from(a.solution().predict(points)));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('a folder with no model is refused naming it', () => {
    const dir = path.join(tmp, 'empty');
    fs.mkdirSync(dir);
    const v = tf.variable(tf.zeros([1]));
    expect(modelDirOf(dir)).toBeNull();
    expect(() => loadVariables(dir, { v })).toThrow(`${dir} holds no saved model`);
    saveVariables(path.join(dir, 'model'), { v });
    expect(modelDirOf(dir)).toBe(path.join(dir, 'model'));
    v.dispose();
  });
});

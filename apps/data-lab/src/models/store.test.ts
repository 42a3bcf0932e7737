import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, Rng } from '@aml/core';
import type { SavedModel } from './model';
import { MLP, specOf } from './registry';
import { ridgeModel } from './ridge';
import { modelLocation, readModels, saveModels } from './store';

let tmp: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-dl-store-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const settings = { epochs: 5, batchSize: 8, learningRate: 0.02, hidden: [6, 4] };
const X = { data: Float64Array.from({ length: 60 }, (_, i) => Math.sin(1.7 * i)), rows: 20, cols: 3 };
const y = Float64Array.from({ length: 20 }, (_, i) => X.data[3 * i] - 0.3 * X.data[3 * i + 2]);

/** A trained MLP and a ridge model, and their predictions on X. */
async function fitted(): Promise<{ models: Record<string, SavedModel>; want: Record<string, Float64Array> }> {
  const mlp = MLP.create('regression', 3, 0, settings, new Rng(1));
  await mlp.fit({ X, y }, new Rng(2));
  const lin = ridgeModel(0.1);
  await lin.fit({ X, y }, new Rng(3));
  const out = {
    models: { mlp: mlp.save(), linear: lin.save() },
    want: { mlp: mlp.predict(X), linear: lin.predict(X) },
  };
  mlp.dispose();
  lin.dispose();
  return out;
}

/** Predictions of the saved models in `content` (rebuilt through the registry). */
function predictAll(content: unknown): Record<string, Float64Array> {
  const models = (content as { models: Record<string, SavedModel> }).models;
  return Object.fromEntries(
    Object.entries(models).map(([k, s]) => {
      const m = specOf(s).load(s);
      const p = m.predict(X);
      m.dispose();
      return [k, p];
    }),
  );
}

describe('data-lab saved models', () => {
  it('save -> load gives identical predictions (MLP weights in the weights file, ridge in float64 data)', async () => {
    const { models, want } = await fitted();
    const dir = path.join(tmp, 'run');
    const content = { version: 1, task: 'regression', target: 'y', features: ['a', 'b', 'c'], best: 'mlp', models };
    saveModels(path.join(dir, 'model'), content);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model', 'manifest.json'), 'utf8'));
    expect([manifest.format, manifest.config.kind, manifest.config.app]).toEqual([
      'aml-checkpoint',
      'model',
      'data-lab',
    ]);
    expect(manifest.tensors.map((t: { key: string }) => t.key)).toEqual([
      'extra/mlp/0',
      'extra/mlp/1',
      'extra/mlp/2',
      'extra/mlp/3',
      'extra/mlp/4',
      'extra/mlp/5',
    ]);
    expect(modelLocation(dir)).toEqual({ kind: 'checkpoint', path: path.join(dir, 'model') });
    const notices: string[] = [];
    const back = readModels(dir, (l) => notices.push(l));
    expect(notices).toEqual([]);
    expect(back.content).toEqual(JSON.parse(JSON.stringify(content)));
    const got = predictAll(back.content);
    expect(got.mlp).toEqual(want.mlp);
    expect(got.linear).toEqual(want.linear);
  });

  it('an older model/model.json still loads, with a one-line notice, to identical predictions', async () => {
    const { models, want } = await fitted();
    const dir = path.join(tmp, 'old');
    fs.mkdirSync(path.join(dir, 'model'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'model', 'model.json'),
      JSON.stringify({ version: 1, task: 'regression', best: 'linear', models }),
    );
    const notices: string[] = [];
    const back = readModels(dir, (l) => notices.push(l));
    expect(notices).toEqual([
      `data-lab: ${path.join(dir, 'model', 'model.json')} is in the older model.json format, which will stop loading in a later version; run analyze (or forecast) again to save model/ in the checkpoint format`,
    ]);
    const got = predictAll(back.content);
    expect(got.mlp).toEqual(want.mlp);
    expect(got.linear).toEqual(want.linear);
  });

  it('a folder without a model is refused naming it and what to give', () => {
    expect(() => modelLocation(tmp)).toThrow(tmp);
    expect(() => modelLocation(tmp)).toThrow('holds no saved model');
  });
});

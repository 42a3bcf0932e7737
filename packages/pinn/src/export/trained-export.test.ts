import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, tf } from '@aml/core';
import { layersModelFiles } from '@aml/core/node';
import { readNpy, writeNpy } from '@aml/data';
import { problemFromConfig } from '../config/build';
import type { PinnModel } from '../solver/model';
import { solve } from '../solver/solve';
import { mlpToLayers, writeMlpLayers } from './layers';
import { NUMPY_FORWARD, writeMlpNpz } from './npz-weights';

/** A python with numpy: the check is NumPy's own forward pass, so without one this test fails, saying so. */
function python(): string {
  for (const py of ['python3', '/usr/bin/python3'])
    if (spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return py;
  throw new Error(
    'no python3 with numpy found (tried python3, /usr/bin/python3); install it: apt-get install python3-numpy',
  );
}

let tmp: string;
let model: PinnModel;
let untrained: Float64Array;
const n = 50;
// (50, 2): x in [0, 1], t in [0, 0.5], float32-representable so every side sees the same points
const pts = Float64Array.from(
  Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? ((k * 37) % 101) / 100 : ((k * 53) % 97) / 194)),
);

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-export-'));
  const b = problemFromConfig({
    name: 'heat',
    domain: { x: [0, 1], t: [0, 0.5] },
    equation: 'u_t = u_xx',
    conditions: [
      { type: 'initial', value: 'sin(pi*x)' },
      { type: 'dirichlet', on: 'x=0 | x=1', value: 0 },
    ],
    network: { layers: [12, 12], activation: 'tanh' },
    training: {
      points: { domain: 64, boundary: 16, initial: 16 },
      adam: { steps: 1, lr: 0.01 },
      seed: 5,
      engine: 'taylor',
    },
  });
  const first = (await solve(b.problem, { ...b.solver, progress: 'none' })).model;
  untrained = first.predict(pts);
  first.dispose();
  const r = await solve(b.problem, { ...b.solver, adam: { ...b.solver.adam!, steps: 200 }, progress: 'none' });
  model = r.model;
}, 120_000);
afterAll(() => {
  model?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('exporting a trained PINN', () => {
  it('is trained: 200 Adam steps moved its predictions away from the 1-step network', () => {
    const want = model.predict(pts);
    let moved = 0;
    for (let k = 0; k < n; k++) moved = Math.max(moved, Math.abs(want[k] - untrained[k]));
    expect(moved).toBeGreaterThan(0.1);
  });

  it('Layers format: tf.loadLayersModel reads model.json + weights.bin and predicts what the PINN predicts, to 1e-6', async () => {
    const want = model.predict(pts); // (50)
    const dir = path.join(tmp, 'layers');
    const before = tf.memory().numTensors;
    const file = await writeMlpLayers(dir, model.net, model.scaling);
    expect(tf.memory().numTensors).toBe(before);
    expect(file).toBe(path.join(dir, 'model.json'));
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual([
      'Dense',
      'Dense',
      'Dense',
      'Dense',
    ]);
    // 2x2 scaling + 2x12+12 + 12x12+12 + 12x1+1 float32 values
    expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBe(4 * (4 + 2 + 36 + 156 + 13));
    const loaded = await tf.loadLayersModel(layersModelFiles(dir));
    const got = tf.tidy(() => (loaded.predict(tf.tensor2d(Float32Array.from(pts), [n, 2])) as tf.Tensor).dataSync());
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]));
    expect(worst).toBeLessThan(1e-6);
    // The same artifacts through an in-memory handler.
    const mem = await tf.loadLayersModel(tf.io.fromMemory(await mlpToLayers(model.net, model.scaling)));
    const again = tf.tidy(() => (mem.predict(tf.tensor2d(Float32Array.from(pts), [n, 2])) as tf.Tensor).dataSync());
    mem.dispose();
    expect(Array.from(again)).toEqual(Array.from(got));
  });

  it('.npz weights: NumPy (float64) predicts what the trained PINN predicts, to 1e-5', () => {
    const want = model.predict(pts);
    writeMlpNpz(path.join(tmp, 'net.npz'), model.net, model.scaling);
    writeNpy(path.join(tmp, 'x.npy'), { shape: [n, 2], data: pts });
    fs.writeFileSync(
      path.join(tmp, 'forward.py'),
      `${NUMPY_FORWARD}\nimport sys\nnp.save(sys.argv[2], predict(np.load(sys.argv[1]), np.load(sys.argv[3])))\n`,
    );
    const r = spawnSync(
      python(),
      [path.join(tmp, 'forward.py'), path.join(tmp, 'net.npz'), path.join(tmp, 'y.npy'), path.join(tmp, 'x.npy')],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const got = readNpy(path.join(tmp, 'y.npy'));
    expect(got.shape).toEqual([n, 1]);
    let worst = 0;
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs((got.data[k] as number) - want[k]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('a sine network is refused by the Layers export, naming the activation and the .npz alternative', async () => {
    const ts = [tf.zeros([2, 3]), tf.zeros([3, 1]), tf.zeros([3]), tf.zeros([1])];
    const sine = { kind: 'mlp', mlp: { weights: ts.slice(0, 2), biases: ts.slice(2), activation: 'sin' } } as never;
    await expect(mlpToLayers(sine)).rejects.toThrow(
      "layers export: activation 'sin' has no TensorFlow.js Layers / Keras equivalent",
    );
    await expect(mlpToLayers(sine)).rejects.toThrow('export the weights to .npz instead');
    tf.dispose(ts);
  });
});

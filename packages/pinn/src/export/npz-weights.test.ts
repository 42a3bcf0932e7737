import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, Rng, tf } from '@aml/core';
import { readNpy, writeNpy } from '@aml/data';
import { createMlpNetwork } from '../networks/mlp';
import { scalingToUnitBox } from '../solver/fields';
import { mlpToNpz, NUMPY_FORWARD, writeMlpNpz } from './npz-weights';

/** A python with numpy: the forward pass is checked by NumPy itself, so without one this test fails, saying so. */
function python(): string {
  for (const py of ['python3', '/usr/bin/python3'])
    if (spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return py;
  throw new Error(
    'no python3 with numpy found (tried python3, /usr/bin/python3); install it: apt-get install python3-numpy',
  );
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe.each(['tanh', 'sin'] as const)('weights to .npz, NumPy forward pass (%s)', (activation) => {
  it('NumPy predicts what tfjs predicts, to 1e-5, and the export leaves no tensor behind', () => {
    const net = createMlpNetwork({ inputs: 2, hidden: [16, 16], outputs: 2, activation }, new Rng(7));
    const scaling = scalingToUnitBox([-1, 0], [1, 0.99]);
    const rng = new Rng(1);
    const n = 64;
    // (64, 2), float32 values so both sides see the same points
    const pts = Float64Array.from(
      Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? rng.range(-1, 1) : rng.range(0, 0.99))),
    );
    const want = tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(pts), [n, 2], 'float32');
      const xs = tf.mul(
        tf.sub(x, tf.tensor1d(scaling.shift as number[])),
        tf.tensor1d(scaling.factor as number[]),
      ) as tf.Tensor2D;
      return net.apply(xs).dataSync(); // (64, 2)
    });
    const before = tf.memory().numTensors;
    const bytes = mlpToNpz(net, scaling);
    expect(tf.memory().numTensors).toBe(before);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-npzw-'));
    try {
      writeMlpNpz(path.join(dir, 'net.npz'), net, scaling);
      expect(Buffer.from(fs.readFileSync(path.join(dir, 'net.npz'))).equals(Buffer.from(bytes))).toBe(true);
      writeNpy(path.join(dir, 'x.npy'), { shape: [n, 2], data: pts });
      fs.writeFileSync(
        path.join(dir, 'forward.py'),
        `${NUMPY_FORWARD}\nimport sys\nnp.save(sys.argv[2], predict(np.load(sys.argv[1]), np.load(sys.argv[3])))\n`,
      );
      const r = spawnSync(
        python(),
        [path.join(dir, 'forward.py'), path.join(dir, 'net.npz'), path.join(dir, 'y.npy'), path.join(dir, 'x.npy')],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      const got = readNpy(path.join(dir, 'y.npy'));
      expect(got.shape).toEqual([n, 2]);
      let worst = 0;
      for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs((got.data[k] as number) - want[k]));
      expect(worst).toBeLessThan(1e-5);
      expect(worst).toBeGreaterThan(0); // float64 NumPy vs float32 tfjs: a real comparison, not the same numbers
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      net.dispose();
    }
  });
});

it('NUMPY_FORWARD is ten lines, and other network kinds are refused by name', () => {
  expect(NUMPY_FORWARD.trim().split('\n').length).toBe(10);
  expect(() => mlpToNpz({ kind: 'pirate', params: {}, apply: () => undefined } as never)).toThrow(
    "mlpToNpz: the network is of kind 'pirate'; only plain MLPs (kind 'mlp')",
  );
});

/**
 * data/trajectories/: trajectories for system-identification and neural-ODE exercises, from @aml/data's
 * generators (RK4 through @aml/core), noise-free so the file is exactly reproducible:
 *  - oscillator.npz: damped driven oscillator x'' + 2 gamma x' + omega0^2 x = A cos(w t), omega0 = 1,
 *    gamma = 0.1, A = 0.5, w = 1.2, x(0) = 1, v(0) = 0, t in [0, 30], 3001 samples: t (3001), x (3001), v (3001).
 *  - lorenz.npz: Lorenz system (sigma 10, rho 28, beta 8/3) from (1, 1, 1), t in [0, 20], 20001 samples of
 *    step 1e-3: t (20001), states (20001, 3) (columns x, y, z).
 * Deflated .npz, so np.load reads them.
 *
 * Run: npx ts-node tools/data/trajectories.ts [root]   (writes root/trajectories/*.npz, root = data/ by default)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dampedOscillator, formatNpz, lorenz } from '@aml/data';

/** The oscillator file's bytes. */
export function buildOscillator(): Uint8Array {
  const o = dampedOscillator({
    omega0: 1,
    gamma: 0.1,
    driveAmplitude: 0.5,
    driveFrequency: 1.2,
    x0: 1,
    v0: 0,
    t1: 30,
    steps: 3000,
  });
  const n = o.t.length;
  return formatNpz(
    { t: { shape: [n], data: o.t }, x: { shape: [n], data: o.x }, v: { shape: [n], data: o.v } },
    { compress: true },
  );
}

/** The Lorenz file's bytes. */
export function buildLorenz(): Uint8Array {
  const l = lorenz({ sigma: 10, rho: 28, beta: 8 / 3, y0: [1, 1, 1], t1: 20, steps: 20_000 });
  const n = l.t.length;
  return formatNpz({ t: { shape: [n], data: l.t }, states: { shape: [n, 3], data: l.states } }, { compress: true });
}

/** Where the files live under data/. */
export const TRAJECTORY_FILES = {
  oscillator: 'trajectories/oscillator.npz',
  lorenz: 'trajectories/lorenz.npz',
} as const;

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '../../data'));
  fs.mkdirSync(path.join(root, 'trajectories'), { recursive: true });
  fs.writeFileSync(path.join(root, TRAJECTORY_FILES.oscillator), buildOscillator());
  fs.writeFileSync(path.join(root, TRAJECTORY_FILES.lorenz), buildLorenz());
  console.log(
    `wrote ${Object.values(TRAJECTORY_FILES)
      .map((f) => path.join(root, f))
      .join(', ')}`,
  );
}

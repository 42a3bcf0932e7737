/**
 * data/burgers/burgers_shock.mat: the viscous Burgers benchmark of Raissi, Perdikaris & Karniadakis (2019) on
 * their grid and in their file layout, from the project's own Cole-Hopf solver (@aml/pinn's burgersExact):
 * u_t + u u_x = (0.01/pi) u_xx on x in [-1, 1], t in [0, 0.99], u(x, 0) = -sin(pi x), u(+-1, t) = 0.
 * Variables: x (256, 1) = linspace(-1, 1, 256), t (100, 1) = 0:0.01:0.99, usol (256, 100) with
 * usol[i, j] = u(x_i, t_j). A level-5 MAT-file, compressed, so scipy.io.loadmat and MATLAB's load read it.
 *
 * Run: npx ts-node tools/data/burgers-shock.ts [root]   (writes root/burgers/burgers_shock.mat, root = data/ by
 * default; its checksum goes in data/README.md)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatMat } from '@aml/data';
import { burgersExact } from '@aml/pinn';

/** Grid sizes of Raissi's burgers_shock.mat. */
export const BURGERS_NX = 256;
export const BURGERS_NT = 100;

/** The file's bytes (about 2 s: 25,600 Cole-Hopf quadratures of 4000 nodes). */
export function buildBurgersShock(): Uint8Array {
  const x = Float64Array.from({ length: BURGERS_NX }, (_, i) => -1 + (2 * i) / (BURGERS_NX - 1));
  const t = Float64Array.from({ length: BURGERS_NT }, (_, j) => j / 100);
  const usol = new Float64Array(BURGERS_NX * BURGERS_NT); // (256, 100), C order: usol[i * 100 + j] = u(x_i, t_j)
  for (let i = 0; i < BURGERS_NX; i++)
    for (let j = 0; j < BURGERS_NT; j++) usol[i * BURGERS_NT + j] = burgersExact(x[i], t[j]);
  return formatMat(
    {
      x: { shape: [BURGERS_NX, 1], data: x },
      t: { shape: [BURGERS_NT, 1], data: t },
      usol: { shape: [BURGERS_NX, BURGERS_NT], data: usol },
    },
    { compress: true },
  );
}

/** Where the file lives under data/. */
export const BURGERS_FILE = 'burgers/burgers_shock.mat';

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, '../../data'), BURGERS_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buildBurgersShock());
  console.log(`wrote ${file}`);
}

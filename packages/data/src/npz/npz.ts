/**
 * NumPy `.npz` archives: a ZIP whose members `name.npy` each hold one array, as written by `np.savez`
 * (stored) and `np.savez_compressed` (deflated). Every member goes through the .npy reader, so its
 * errors name the archive and the member (`u.npz[usol.npy]`).
 */
import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError } from '../table/errors';
import type { NdArray, NumericArray } from '../npy/dtypes';
import { formatNpy, parseNpy } from '../npy/npy';
import { formatZip, parseZip } from '../zip/zip';

/** Arrays by name (the member name without `.npy`), in archive order. */
export type NpzArrays = Record<string, NdArray>;

/** An array to write: an `NdArray`, or a shape with a typed array. */
export type ArrayInput = NdArray | { readonly shape: readonly number[]; readonly data: NumericArray };

/** Options of `formatNpz` / `writeNpz`. */
export interface NpzWriteOptions {
  /** Deflate the members, like `np.savez_compressed` (default false: stored, like `np.savez`). */
  readonly compress?: boolean;
}

/** Decode an .npz archive held in memory. */
export function parseNpz(buf: Uint8Array, file = '<npz>'): NpzArrays {
  const out: NpzArrays = {};
  for (const m of parseZip(buf, file)) {
    if (m.name.endsWith('/')) continue; // a directory entry holds no array
    if (!m.name.endsWith('.npy')) {
      throw new DataError(
        { file: `${file}[${m.name}]` },
        'this member is not a .npy array',
        'only name.npy members, as np.savez writes (np.savez(f, x=x, usol=u))',
      );
    }
    out[m.name.slice(0, -4)] = parseNpy(m.data, `${file}[${m.name}]`);
  }
  return out;
}

/** Read a `.npz` file (stored or deflated members). */
export function readNpz(file: string): NpzArrays {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to a .npz file');
  return parseNpz(fs.readFileSync(file), file);
}

/** Encode named arrays as `.npz` bytes that `numpy.load` reads; the same arrays always give the same bytes. */
export function formatNpz(arrays: Readonly<Record<string, ArrayInput>>, options: NpzWriteOptions = {}): Uint8Array {
  const members = Object.entries(arrays).map(([name, a]) => {
    if (name === '' || name.includes('/'))
      throw new Error(`formatNpz: array name '${name}' must be non-empty and without '/'`);
    return { name: `${name}.npy`, data: formatNpy(a) };
  });
  return formatZip(members, options);
}

/** Write named arrays as a `.npz` file (`np.load(file)['name']` reads each). */
export function writeNpz(
  file: string,
  arrays: Readonly<Record<string, ArrayInput>>,
  options: NpzWriteOptions = {},
): void {
  fs.writeFileSync(file, formatNpz(arrays, options));
}

/** One entry point for numeric arrays by name from any array file the package reads. */
import { path } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError } from '../table/errors';
import type { NdArray } from '../npy/dtypes';
import { readNpy } from '../npy/npy';
import { readNpz } from '../npz/npz';
import { matArrays } from '../mat/flatten';
import { readMatFile } from '../hdf5/mat73';
import { readHdf5 } from '../hdf5/hdf5';

/** File extensions `readArrays` understands. */
export const ARRAY_FILE_EXTENSIONS = ['.npy', '.npz', '.mat', '.h5', '.hdf5'] as const;

/**
 * Numeric arrays by name from a `.npy` (one array, named after the file), `.npz` (member names), `.mat`
 * (level 5 or 7.3; struct fields as `s.u`, cells as `c{1}`) or HDF5 file (dataset paths, `g/u`).
 * MATLAB arrays keep MATLAB's shape (at least 2-D); all data is in C order.
 * @example const { x, t, usol } = await readArrays('burgers_shock.mat'); // x (256, 1), t (100, 1), usol (256, 100)
 */
export async function readArrays(file: string): Promise<Record<string, NdArray>> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.npy') return { [path.basename(file, path.extname(file))]: readNpy(file) };
  if (ext === '.npz') return readNpz(file);
  if (ext === '.mat') return matArrays(await readMatFile(file));
  if (ext === '.h5' || ext === '.hdf5') return readHdf5(file);
  throw new DataError(
    { file },
    `unknown array file type '${ext || '(no extension)'}'`,
    `one of ${ARRAY_FILE_EXTENSIONS.join(', ')}`,
  );
}

/** `name (d0, d1) dtype` for each array: the listing an error shows when a name is not in a file. */
export function describeArrays(arrays: Readonly<Record<string, NdArray>>): string {
  return (
    Object.entries(arrays)
      .map(([k, a]) => `${k} (${a.shape.join(', ')}) ${a.dtype}`)
      .join(', ') || '(no numeric arrays)'
  );
}

/**
 * HDF5 files (`.h5`, `.hdf5`, written by h5py, or MATLAB's `save -v7.3`) read through h5wasm. Datasets come back
 * in C order with HDF5's shape; `readMatFile` undoes MATLAB 7.3's transposition.
 */
import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError } from '../table/errors';
import { dtypeOf, type NdArray } from '../npy/dtypes';
import { type H5Dataset, type H5File, type H5Group, type H5Wasm, loadH5wasm } from './h5wasm';

let serial = 0;

/** Open `bytes` as an HDF5 file, run `use`, and always close and remove it from h5wasm's memory. */
export async function withHdf5<T>(bytes: Uint8Array, file: string, use: (f: H5File) => T): Promise<T> {
  const h5: H5Wasm = await loadH5wasm();
  const name = `aml-${process.pid}-${++serial}.h5`;
  h5.FS.writeFile(name, bytes);
  let f: H5File | undefined;
  try {
    try {
      f = new h5.File(name, 'r');
    } catch (e) {
      throw new DataError(
        { file },
        `HDF5 cannot read the file (${(e as Error).message})`,
        'an intact HDF5 file; it may be truncated or damaged',
      );
    }
    try {
      return use(f);
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(
        { file },
        `HDF5 cannot read the file (${(e as Error).message})`,
        'an intact HDF5 file; it may be truncated or damaged',
      );
    }
  } finally {
    f?.close();
    h5.FS.unlink(name);
  }
}

/** The numeric value of a dataset as an NdArray (C order, HDF5's shape), or undefined for strings, compounds, references. */
export function datasetArray(d: H5Dataset): NdArray | undefined {
  const value = d.value;
  const dtype = dtypeOf(value);
  if (!dtype) return undefined;
  return { dtype, shape: d.shape ?? [], data: value as NdArray['data'] };
}

/** Is the file an HDF5 file (signature at 0, or at 512 after a MAT 7.3 user block)? */
export function isHdf5(buf: Uint8Array): boolean {
  const at = (o: number) =>
    buf.length >= o + 8 && buf[o] === 0x89 && Buffer.from(buf.subarray(o + 1, o + 4)).toString('latin1') === 'HDF';
  return at(0) || at(512) || at(1024) || at(2048);
}

/** Every numeric dataset under `g`, keyed by its path without the leading '/' (`g/cube`). */
function collect(g: H5Group, prefix: string, out: Record<string, NdArray>): void {
  for (const k of g.keys()) {
    if (k.startsWith('#')) continue; // MATLAB's #refs# and #subsystem# hold internals
    const node = g.get(k);
    if (!node) continue;
    if (node.type === 'Group') collect(node as H5Group, `${prefix}${k}/`, out);
    else if (node.type === 'Dataset') {
      const a = datasetArray(node as H5Dataset);
      if (a) out[prefix + k] = a;
    }
  }
}

/** Read every numeric dataset of an HDF5 file, keyed by path (`usol`, `g/cube`), in C order with HDF5's shape. */
export async function readHdf5(file: string): Promise<Record<string, NdArray>> {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to an HDF5 file');
  const bytes = fs.readFileSync(file);
  if (!isHdf5(bytes))
    throw new DataError(
      { file },
      'not an HDF5 file (no \\x89HDF signature at byte 0 or 512)',
      'a file written by h5py, HDF5 or MATLAB save -v7.3',
    );
  return withHdf5(bytes, file, (f) => {
    const out: Record<string, NdArray> = {};
    collect(f, '', out);
    return out;
  });
}

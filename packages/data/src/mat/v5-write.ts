/**
 * Writing level-5 MAT-files of double arrays (what `load` in MATLAB and `scipy.io.loadmat` read), optionally
 * zlib-compressed per variable like MATLAB's default `save -v7`. The same variables always give the same bytes.
 */
import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { zlibSync } from 'fflate';
import type { NumericArray } from '../npy/dtypes';
import { columnMajorIndex } from './types';

/** A variable to write: a shape (MATLAB's size, C-order data; 1-D is saved as a row, 0-D as 1x1) and numbers. */
export interface MatInput {
  readonly shape: readonly number[];
  readonly data: NumericArray | readonly number[];
}

/** Options of `formatMat` / `writeMat`. */
export interface MatWriteOptions {
  /** zlib-compress each variable (miCOMPRESSED), like MATLAB's `save -v7` (default false, like `save -v6`). */
  readonly compress?: boolean;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** A tag and its data, padded to 8 bytes (small elements of up to 4 bytes are packed into the tag). */
function el(type: number, data: Uint8Array): Uint8Array {
  if (data.length <= 4 && data.length > 0) {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint16(0, type, true);
    v.setUint16(2, data.length, true);
    out.set(data, 4);
    return out;
  }
  const out = new Uint8Array(8 + Math.ceil(data.length / 8) * 8);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** The miMATRIX element of one double variable. */
function doubleMatrix(name: string, a: MatInput): Uint8Array {
  const shape = a.shape.length === 0 ? [1, 1] : a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
  const n = shape.reduce((s, d) => s * d, 1);
  if (n !== a.data.length)
    throw new Error(
      `formatMat: variable '${name}' has shape (${a.shape.join(', ')}) = ${n} elements but ${a.data.length} values`,
    );
  const idx = columnMajorIndex(shape);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const v = a.data[c];
    if (typeof v === 'bigint')
      throw new Error(
        `formatMat: variable '${name}' holds 64-bit integers; convert to Float64Array (only doubles are written)`,
      );
    col[idx[c]] = v;
  }
  const flags = new Uint8Array(8);
  flags[0] = 6; // mxDOUBLE_CLASS, no complex/global/logical flags
  const dims = new Uint8Array(new Int32Array(shape).buffer);
  const body = concat([
    el(6, flags),
    el(5, dims),
    el(1, Buffer.from(name, 'latin1')),
    el(9, new Uint8Array(col.buffer)),
  ]);
  return el(14, body);
}

/** Encode double variables as a level-5 MAT-file (little-endian). */
export function formatMat(vars: Readonly<Record<string, MatInput>>, options: MatWriteOptions = {}): Uint8Array {
  const header = new Uint8Array(128);
  header.set(Buffer.from('MATLAB 5.0 MAT-file, written by @aml/data'.padEnd(116, ' '), 'latin1'));
  header[124] = 0x00; // version 0x0100, little-endian
  header[125] = 0x01;
  header.set(Buffer.from('IM', 'latin1'), 126);
  const parts: Uint8Array[] = [header];
  for (const [name, a] of Object.entries(vars)) {
    if (!NAME.test(name))
      throw new Error(
        `formatMat: '${name}' is not a MATLAB variable name; use a letter then letters, digits or _ (at most 63)`,
      );
    const m = doubleMatrix(name, a);
    if (!options.compress) {
      parts.push(m);
      continue;
    }
    const z = zlibSync(m, { level: 6 });
    const tag = new Uint8Array(8);
    new DataView(tag.buffer).setUint32(0, 15, true);
    new DataView(tag.buffer).setUint32(4, z.length, true);
    parts.push(tag, z); // compressed elements are not padded
  }
  return concat(parts);
}

/** Write double variables as a level-5 `.mat` file (`load` in MATLAB, `scipy.io.loadmat` in Python). */
export function writeMat(file: string, vars: Readonly<Record<string, MatInput>>, options: MatWriteOptions = {}): void {
  fs.writeFileSync(file, formatMat(vars, options));
}

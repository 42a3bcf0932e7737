/**
 * MATLAB level-5 MAT-files (`save -v6`/`-v7`, `scipy.io.savemat`): a 128-byte header, then one data element
 * per variable, each a tag (type, byte count) and its data, possibly zlib-compressed (miCOMPRESSED).
 * Numeric, logical and char arrays, structs and cells are read; MATLAB's column-major data is reordered to C
 * order with MATLAB's shape kept (a column vector stays (n, 1)). Layout: MathWorks, "MAT-File Format", R2024.
 */
import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { unzlibSync } from 'fflate';
import { DataError } from '../table/errors';
import { allocate, type DType, fromBytes, ITEM_SIZE, type NumericArray } from '../npy/dtypes';
import { columnMajorIndex, type MatValue, type MatVariables } from './types';

const MI: Record<number, DType> = {
  1: 'int8',
  2: 'uint8',
  3: 'int16',
  4: 'uint16',
  5: 'int32',
  6: 'uint32',
  7: 'float32',
  9: 'float64',
  12: 'int64',
  13: 'uint64',
};
const MX: Record<number, DType> = {
  6: 'float64',
  7: 'float32',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const MX_NAMES: Record<number, string> = {
  3: 'an object',
  5: 'a sparse matrix',
  16: 'a function handle',
  17: 'an opaque (classdef) object',
};
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;

/** Where the reader is: the label names the file and the variable path, e.g. `a.mat[s.u]`. */
interface Ctx {
  readonly label: string;
  readonly le: boolean;
}

interface Element {
  readonly type: number;
  readonly data: Uint8Array;
  /** Offset of the next element. */
  readonly next: number;
}

function fail(ctx: Ctx, at: number, problem: string, expected: string): never {
  throw new DataError({ file: ctx.label }, `${problem} (byte ${at})`, expected);
}

/** One data element at `pos` of `buf` (small elements pack type, size and up to 4 bytes in 8). */
function element(buf: Uint8Array, pos: number, ctx: Ctx, padded = true): Element {
  if (pos + 8 > buf.length)
    fail(
      ctx,
      pos,
      `the file ends inside a data element tag (${buf.length - pos} of 8 bytes)`,
      'a complete file (it may be truncated)',
    );
  const v = new DataView(buf.buffer, buf.byteOffset + pos, 8);
  const first = v.getUint32(0, ctx.le);
  const small = ctx.le ? first >>> 16 : v.getUint16(0, false);
  if (small !== 0) {
    // Small data element: 2 bytes of size, 2 of type (in the file's order), then the data in 4 bytes.
    const type = ctx.le ? first & 0xffff : v.getUint16(2, false);
    const n = ctx.le ? small : v.getUint16(0, false);
    if (n > 4) fail(ctx, pos, `a small data element claims ${n} bytes (at most 4 fit)`, 'a valid MAT-file');
    return { type, data: buf.subarray(pos + 4, pos + 4 + n), next: pos + 8 };
  }
  const type = first;
  const n = v.getUint32(4, ctx.le);
  if (pos + 8 + n > buf.length)
    fail(
      ctx,
      pos,
      `a data element of ${n} bytes runs past the end (${buf.length - pos - 8} bytes left)`,
      'a complete file (it may be truncated)',
    );
  const pad = padded && type !== MI_COMPRESSED ? (8 - (n % 8)) % 8 : 0;
  return { type, data: buf.subarray(pos + 8, pos + 8 + n), next: pos + 8 + n + pad };
}

/** The numbers of a numeric element as the class's dtype (MATLAB may store a double array as uint8 to save space). */
function numbers(e: Element, to: DType, ctx: Ctx, at: number): NumericArray {
  const from = MI[e.type];
  if (!from)
    fail(ctx, at, `data of element type ${e.type} is not numeric`, 'an miINT8..miUINT64, miSINGLE or miDOUBLE element');
  if (e.data.length % ITEM_SIZE[from] !== 0)
    fail(ctx, at, `${e.data.length} bytes is not a whole number of ${from} values`, 'a valid MAT-file');
  const src = fromBytes(from, e.data, !ctx.le);
  if (from === to) return src;
  const out = allocate(to, src.length);
  const big = to === 'int64' || to === 'uint64';
  for (let i = 0; i < src.length; i++)
    (out as unknown as (number | bigint)[])[i] = big ? BigInt(src[i]) : Number(src[i]);
  return out;
}

/** `src` in column-major order over `shape`, rearranged to C order. */
function toC<T extends NumericArray | unknown[]>(src: T, shape: readonly number[], make: (n: number) => T): T {
  if (shape.filter((d) => d > 1).length <= 1) return src; // vectors and scalars: same order either way
  const idx = columnMajorIndex(shape);
  const out = make(idx.length);
  for (let c = 0; c < idx.length; c++) (out as unknown as unknown[])[c] = (src as unknown as unknown[])[idx[c]];
  return out;
}

function decodeChar(e: Element, shape: readonly number[], ctx: Ctx): string {
  let codes: number[];
  if (e.type === 16) codes = Array.from(Buffer.from(e.data).toString('utf8'), (ch) => ch.codePointAt(0) ?? 0);
  else if (e.type === 17 || e.type === 4) codes = Array.from(fromBytes('uint16', e.data, !ctx.le));
  else codes = Array.from(numbers(e, 'uint32', ctx, 0) as Uint32Array);
  const [rows = 0, cols = 0] = shape;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++)
    lines.push(String.fromCodePoint(...Array.from({ length: cols }, (_, c) => codes[c * rows + r] ?? 32)));
  return lines.join('\n');
}

/** Decode the contents of one miMATRIX element; `name` is its array name (empty inside cells and structs). */
function matrix(buf: Uint8Array, ctx: Ctx, base: number): { name: string; value: MatValue } {
  if (buf.length === 0)
    return {
      name: '',
      value: { kind: 'numeric', array: { dtype: 'float64', shape: [0, 0], data: new Float64Array(0) }, logical: false },
    };
  const flagsEl = element(buf, 0, ctx);
  const flags = new DataView(flagsEl.data.buffer, flagsEl.data.byteOffset, 8).getUint32(0, ctx.le);
  const cls = flags & 0xff;
  const dimsEl = element(buf, flagsEl.next, ctx);
  const shape = Array.from(numbers(dimsEl, 'int32', ctx, base + flagsEl.next) as Int32Array);
  const nameEl = element(buf, dimsEl.next, ctx);
  const name = Buffer.from(nameEl.data).toString('latin1');
  const here: Ctx = { ...ctx, label: name ? `${ctx.label}[${name}]` : ctx.label };
  const n = shape.reduce((a, b) => a * b, 1);
  let pos = nameEl.next;
  if (MX_NAMES[cls])
    fail(
      here,
      base,
      `the variable is ${MX_NAMES[cls]}, which cannot be read`,
      'numeric, logical or char arrays, structs or cells (convert it, e.g. full(A) for a sparse matrix, before saving)',
    );
  if (flags & 0x800) fail(here, base, 'the array is complex', 'real arrays; save real(x) and imag(x) as two variables');
  if (MX[cls]) {
    const array = {
      dtype: MX[cls],
      shape,
      data: toC(numbers(element(buf, pos, here), MX[cls], here, base + pos), shape, (k) => allocate(MX[cls], k)),
    };
    return { name, value: { kind: 'numeric', array, logical: (flags & 0x200) !== 0 } };
  }
  if (cls === 4)
    return { name, value: { kind: 'char', shape, text: decodeChar(element(buf, pos, here), shape, here) } };
  if (cls === 1) {
    const cells: MatValue[] = [];
    for (let k = 0; k < n; k++) {
      const e = element(buf, pos, here);
      if (e.type !== MI_MATRIX)
        fail(here, base + pos, `cell ${k + 1} is an element of type ${e.type}`, 'miMATRIX (14) cells');
      cells.push(matrix(e.data, { ...here, label: `${here.label}{${k + 1}}` }, base + pos + 8).value);
      pos = e.next;
    }
    return { name, value: { kind: 'cell', shape, cells: toC(cells, shape, (k) => new Array<MatValue>(k)) } };
  }
  if (cls === 2) {
    const lenEl = element(buf, pos, here);
    const len = (numbers(lenEl, 'int32', here, base + pos) as Int32Array)[0];
    const namesEl = element(buf, lenEl.next, here);
    const fields: string[] = [];
    for (let k = 0; len > 0 && k < namesEl.data.length / len; k++)
      fields.push(
        Buffer.from(namesEl.data.subarray(k * len, (k + 1) * len))
          .toString('latin1')
          .replace(/\0.*$/s, ''),
      );
    pos = namesEl.next;
    const elements: Record<string, MatValue>[] = [];
    for (let k = 0; k < n; k++) {
      const rec: Record<string, MatValue> = {};
      for (const f of fields) {
        const e = element(buf, pos, here);
        rec[f] = matrix(
          e.data,
          { ...here, label: `${here.label.slice(0, -1)}${n > 1 ? `(${k + 1})` : ''}.${f}]` },
          base + pos + 8,
        ).value;
        pos = e.next;
      }
      elements.push(rec);
    }
    return { name, value: { kind: 'struct', shape, fields, elements: toC(elements, shape, (k) => new Array(k)) } };
  }
  return fail(
    here,
    base,
    `array class ${cls} is not a MATLAB class this reader knows`,
    'classes 1-17 of a level-5 MAT-file',
  );
}

/** Is this a MAT-file 7.3 (HDF5 inside, read with readMatFile or readHdf5)? */
export function isMat73(buf: Uint8Array): boolean {
  return buf.length >= 520 && buf[512] === 0x89 && Buffer.from(buf.subarray(513, 516)).toString('latin1') === 'HDF';
}

/** Decode a level-5 MAT-file held in memory. */
export function parseMat(buf: Uint8Array, file = '<mat>'): MatVariables {
  const text = Buffer.from(buf.subarray(0, 116)).toString('latin1');
  if (isMat73(buf))
    throw new DataError(
      { file },
      'this is a MAT-file 7.3 (HDF5)',
      'a level-5 file here; read 7.3 files with the async readMatFile (or readHdf5)',
    );
  if (buf.length < 128 || !text.startsWith('MATLAB')) {
    throw new DataError(
      { file },
      `not a level-5 MAT-file: the header starts '${text.slice(0, 20).replace(/[^\x20-\x7e]/g, '.')}'`,
      "a file saved by MATLAB (save -v7 or -v6) or scipy.io.savemat, whose header starts 'MATLAB 5.0 MAT-file' (version 4 files are not read: save with -v7)",
    );
  }
  const endian = Buffer.from(buf.subarray(126, 128)).toString('latin1');
  if (endian !== 'IM' && endian !== 'MI')
    throw new DataError({ file }, `the byte-order mark is '${endian}'`, "'IM' or 'MI' at bytes 126-127");
  const ctx: Ctx = { label: file, le: endian === 'IM' };
  const vars: MatVariables = {};
  for (let pos = 128; pos < buf.length; ) {
    let e = element(buf, pos, ctx);
    let at = pos;
    if (e.type === MI_COMPRESSED) {
      let inner: Uint8Array;
      try {
        inner = unzlibSync(e.data);
      } catch (err) {
        return fail(
          ctx,
          pos,
          `a compressed element cannot be inflated (${(err as Error).message})`,
          'intact zlib data (the file may be truncated or damaged)',
        );
      }
      e = element(inner, 0, ctx);
      at = 0;
    }
    if (e.type !== MI_MATRIX)
      fail(ctx, pos, `a top-level element has type ${e.type}`, 'miMATRIX (14) or miCOMPRESSED (15) variables');
    const { name, value } = matrix(e.data, ctx, at + 8);
    vars[name] = value;
    pos = element(buf, pos, ctx).next;
  }
  return vars;
}

/** Read a level-5 `.mat` file synchronously (for 7.3 files use `readMatFile`). */
export function readMat(file: string): MatVariables {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to a .mat file');
  return parseMat(fs.readFileSync(file), file);
}

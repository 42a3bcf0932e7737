import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError } from '../table/errors';
import {
  allocate,
  type DType,
  type DTypeArrays,
  dtypeOf,
  fromBytes,
  ITEM_SIZE,
  type NdArray,
  type NumericArray,
  shapeSize,
  toBytes,
} from './dtypes';

/**
 * NumPy `.npy` files (format 1.0/2.0/3.0; https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic `\x93NUMPY`, version, header length, a Python dict literal `{'descr': '<f8', 'fortran_order': False,
 * 'shape': (2, 3), }` padded with spaces to a 64-byte boundary and ended by '\n', then the raw data.
 * Written files match what `numpy.save` writes for the same array, byte for byte.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR: Record<string, DType> = {
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
};
const DESCR_OF: Record<DType, string> = {
  float32: '<f4',
  float64: '<f8',
  int8: '|i1',
  int16: '<i2',
  int32: '<i4',
  int64: '<i8',
  uint8: '|u1',
  uint16: '<u2',
  uint32: '<u4',
  uint64: '<u8',
};

/** Parsed header of a .npy file. */
export interface NpyHeader {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly fortranOrder: boolean;
  readonly bigEndian: boolean;
  /** Byte offset of the data. */
  readonly dataOffset: number;
}

/** Parse the header at the start of `buf` (which must hold at least the whole header). */
export function parseNpyHeader(buf: Uint8Array, file: string): NpyHeader {
  if (buf.length < 10 || !MAGIC.every((b, i) => buf[i] === b)) {
    const got = Array.from(buf.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataError(
      { file },
      `not a NumPy .npy file: the first bytes are ${got || '(none)'}`,
      'the magic string \\x93NUMPY (93 4e 55 4d 50 59) written by numpy.save',
    );
  }
  const major = buf[6];
  if (major < 1 || major > 3)
    throw new DataError({ file }, `.npy format version ${major}.${buf[7]} is not supported`, 'version 1.0, 2.0 or 3.0');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lenBytes + headerLen;
  if (buf.length < dataOffset)
    throw new DataError(
      { file },
      `the header says it is ${headerLen} bytes long but the file ends first`,
      'a complete .npy header',
    );
  const header = Buffer.from(buf.subarray(8 + lenBytes, dataOffset)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataError(
      { file },
      `the .npy header is malformed: ${header.trim()}`,
      "a dict with 'descr', 'fortran_order' and 'shape'",
    );
  }
  const m = /^([<>|=])([fiu][1248])$/.exec(descr);
  const dtype = m ? DESCR[m[2]] : undefined;
  if (!m || !dtype || m[2] === 'f1' || m[2] === 'f2') {
    throw new DataError(
      { file },
      `dtype '${descr}' is not supported`,
      `one of ${Object.values(DESCR_OF).join(', ')} (float32/64, int8..int64, uint8..uint64; convert with arr.astype(np.float64))`,
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new DataError({ file }, `the .npy shape (${shapeText}) is not a tuple of sizes`, 'non-negative integers');
  return { dtype, shape, fortranOrder: fortran === 'True', bigEndian: m[1] === '>', dataOffset };
}

/** Reorder Fortran-order (column-major) data to C order. */
function fortranToC<D extends DType>(dtype: D, shape: readonly number[], src: DTypeArrays[D]): DTypeArrays[D] {
  const n = shapeSize(shape);
  const out = allocate(dtype, n);
  const k = shape.length;
  const idx = new Array<number>(k).fill(0);
  const fStride = shape.map((_, j) => shapeSize(shape.slice(0, j)));
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += idx[j] * fStride[j];
    (out as unknown as number[])[c] = (src as unknown as number[])[f];
    for (let j = k - 1; j >= 0; j--) {
      // C order: last index fastest
      if (++idx[j] < shape[j]) break;
      idx[j] = 0;
    }
  }
  return out;
}

/** Decode a whole .npy file held in memory. `buf` is not modified. */
export function parseNpy(buf: Uint8Array, file = '<npy>'): NdArray {
  const h = parseNpyHeader(buf, file);
  const need = shapeSize(h.shape) * ITEM_SIZE[h.dtype];
  const have = buf.length - h.dataOffset;
  if (have !== need) {
    throw new DataError(
      { file },
      `the data has ${have} bytes but shape (${h.shape.join(', ')}) of ${h.dtype} needs ${need}`,
      'a file that is not truncated or padded',
    );
  }
  let data = fromBytes(h.dtype, buf.subarray(h.dataOffset), h.bigEndian);
  if (h.fortranOrder && h.shape.length > 1) data = fortranToC(h.dtype, h.shape, data);
  return { dtype: h.dtype, shape: h.shape, data };
}

/** Read a .npy file (C or Fortran order, either byte order) into a C-order little-endian array. */
export function readNpy(file: string): NdArray {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to a .npy file');
  return parseNpy(fs.readFileSync(file), file);
}

/** Encode an array as .npy bytes (little-endian, C order, format 1.0, or 2.0 if the header needs it). */
export function formatNpy(a: NdArray | { shape: readonly number[]; data: NumericArray }): Uint8Array {
  const dtype = dtypeOf(a.data);
  if (!dtype)
    throw new Error(
      `formatNpy: data must be a Float32/Float64/Int8/16/32/BigInt64/Uint8/16/32/BigUint64 array, got ${a.data?.constructor?.name}`,
    );
  if ('dtype' in a && a.dtype !== dtype)
    throw new Error(`formatNpy: dtype says ${a.dtype} but data is a ${a.data.constructor.name}`);
  if (shapeSize(a.shape) !== a.data.length)
    throw new Error(
      `formatNpy: shape (${a.shape.join(', ')}) has ${shapeSize(a.shape)} elements but data has ${a.data.length}`,
    );
  // The same text numpy writes: Python's repr of the dict and of the shape tuple.
  const shapeRepr = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  const dict = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  let major = 1;
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    major = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  const header = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const body = toBytes(a.data, false);
  const out = new Uint8Array(total + body.length);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), pre);
  out.set(body, total);
  return out;
}

/** Write an array as a .npy file that `numpy.load` reads. */
export function writeNpy(file: string, a: NdArray | { shape: readonly number[]; data: NumericArray }): void {
  fs.writeFileSync(file, formatNpy(a));
}

/**
 * Read rows [start, start + count) along the first axis of a C-order .npy file without loading the rest:
 * for arrays larger than memory. Returns shape (rows, ...rest).
 */
export function readNpyRows(file: string, start: number, count: number): NdArray {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to a .npy file');
  const fd = fs.openSync(file, 'r');
  try {
    const pre = Buffer.alloc(12);
    fs.readSync(fd, pre, 0, 12, 0);
    const len = pre[6] === 1 ? pre.readUInt16LE(8) + 10 : pre.readUInt32LE(8) + 12;
    const headBuf = Buffer.alloc(Math.max(len, 12));
    fs.readSync(fd, headBuf, 0, headBuf.length, 0);
    const h = parseNpyHeader(headBuf, file);
    if (h.fortranOrder)
      throw new DataError(
        { file },
        'rows of a Fortran-order array are not contiguous',
        'a C-order array (np.ascontiguousarray) for row reads',
      );
    if (h.shape.length === 0)
      throw new DataError({ file }, 'a 0-d array has no rows', 'an array with at least one axis');
    const rows = h.shape[0];
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows) {
      throw new Error(`readNpyRows: rows [${start}, ${start + count}) are outside the ${rows} rows of ${file}`);
    }
    const rowBytes = shapeSize(h.shape.slice(1)) * ITEM_SIZE[h.dtype];
    const buf = Buffer.alloc(count * rowBytes);
    fs.readSync(fd, buf, 0, buf.length, h.dataOffset + start * rowBytes);
    return { dtype: h.dtype, shape: [count, ...h.shape.slice(1)], data: fromBytes(h.dtype, buf, h.bigEndian) };
  } finally {
    fs.closeSync(fd);
  }
}

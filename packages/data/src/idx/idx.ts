import { fs, zlib } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError } from '../table/errors';
import {
  type DType,
  dtypeOf,
  fromBytes,
  ITEM_SIZE,
  type NdArray,
  type NumericArray,
  shapeSize,
  toBytes,
} from '../npy/dtypes';

/**
 * IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): two zero bytes,
 * a type code, the number of dimensions, each dimension as a big-endian uint32, then big-endian data.
 * Gzipped files (`train-images-idx3-ubyte.gz`) are recognised by their gzip magic and inflated.
 */

const TYPE_CODES: Record<number, DType> = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};
const CODE_OF: Partial<Record<DType, number>> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

/** Decode IDX bytes (gzipped or not). `buf` is not modified. */
export function parseIdx(input: Uint8Array, file = '<idx>'): NdArray {
  let buf = input;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = zlib.gunzipSync(buf);
    } catch (e) {
      throw new DataError({ file }, `gzip data is corrupt: ${(e as Error).message}`, 'a complete .gz file');
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new DataError(
      { file },
      'not an IDX file: it does not start with two zero bytes',
      'an IDX header 00 00 <type> <ndim> (e.g. 00 00 08 03 for MNIST images)',
    );
  }
  const dtype = TYPE_CODES[buf[2]];
  if (!dtype) {
    throw new DataError(
      { file },
      `unknown IDX type code 0x${buf[2].toString(16).padStart(2, '0')}`,
      'one of 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float, 0x0e double',
    );
  }
  const ndim = buf[3];
  const offset = 4 + 4 * ndim;
  if (buf.length < offset)
    throw new DataError(
      { file },
      `the header declares ${ndim} dimensions but the file ends after ${buf.length} bytes`,
      `${offset} header bytes`,
    );
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape = Array.from({ length: ndim }, (_, k) => view.getUint32(4 + 4 * k, false));
  const need = shapeSize(shape) * ITEM_SIZE[dtype];
  const have = buf.length - offset;
  if (have !== need) {
    throw new DataError(
      { file },
      `the header says ${shape.join(' x ')} ${dtype} = ${need} data bytes but the file holds ${have}`,
      'a complete file (re-download it; a truncated download is the usual cause)',
    );
  }
  return { dtype, shape, data: fromBytes(dtype, buf.subarray(offset), true) };
}

/** Read an IDX file (optionally gzipped). */
export function readIdx(file: string): NdArray {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to an IDX file');
  return parseIdx(fs.readFileSync(file), file);
}

/** Encode an array as IDX bytes (uint8, int8, int16, int32, float32 or float64). */
export function formatIdx(a: { shape: readonly number[]; data: NumericArray }): Uint8Array {
  const dtype = dtypeOf(a.data);
  const code = dtype ? CODE_OF[dtype] : undefined;
  if (!dtype || code === undefined)
    throw new Error(
      `formatIdx: IDX holds uint8, int8, int16, int32, float32 or float64 data, got ${a.data?.constructor?.name}`,
    );
  if (a.shape.length > 255) throw new Error(`formatIdx: IDX allows at most 255 dimensions, got ${a.shape.length}`);
  if (shapeSize(a.shape) !== a.data.length)
    throw new Error(
      `formatIdx: shape (${a.shape.join(', ')}) has ${shapeSize(a.shape)} elements but data has ${a.data.length}`,
    );
  const head = new Uint8Array(4 + 4 * a.shape.length);
  head[2] = code;
  head[3] = a.shape.length;
  const view = new DataView(head.buffer);
  a.shape.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  const body = toBytes(a.data, true);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** Write an IDX file (gzipped when the name ends in .gz). */
export function writeIdx(file: string, a: { shape: readonly number[]; data: NumericArray }): void {
  const bytes = formatIdx(a);
  fs.writeFileSync(file, file.endsWith('.gz') ? zlib.gzipSync(bytes) : bytes);
}

/**
 * Read items [start, start + count) along the first axis of an uncompressed IDX file without loading the rest
 * (e.g. a mini-batch of images from a file larger than memory). Returns shape (count, ...rest).
 */
export function readIdxRows(file: string, start: number, count: number): NdArray {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to an IDX file');
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    fs.readSync(fd, head, 0, 4, 0);
    if (head[0] === 0x1f && head[1] === 0x8b)
      throw new DataError(
        { file },
        'is gzipped, so rows cannot be read in place',
        'an uncompressed file (gunzip it once), or readIdx for the whole file',
      );
    if (head[0] !== 0 || head[1] !== 0)
      throw new DataError(
        { file },
        'not an IDX file: it does not start with two zero bytes',
        'an IDX header 00 00 <type> <ndim>',
      );
    const dtype = TYPE_CODES[head[2]];
    if (!dtype)
      throw new DataError(
        { file },
        `unknown IDX type code 0x${head[2].toString(16).padStart(2, '0')}`,
        'one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e',
      );
    const ndim = head[3];
    if (ndim === 0) throw new DataError({ file }, 'a 0-d array has no rows', 'an array with at least one axis');
    const dims = Buffer.alloc(4 * ndim);
    fs.readSync(fd, dims, 0, dims.length, 4);
    const shape = Array.from({ length: ndim }, (_, k) => dims.readUInt32BE(4 * k));
    const offset = 4 + 4 * ndim;
    const rowBytes = shapeSize(shape.slice(1)) * ITEM_SIZE[dtype];
    const need = offset + shape[0] * rowBytes;
    const size = fs.fstatSync(fd).size;
    if (size !== need)
      throw new DataError(
        { file },
        `the header says ${shape.join(' x ')} ${dtype} = ${need - offset} data bytes but the file holds ${size - offset}`,
        'a complete file',
      );
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > shape[0]) {
      throw new Error(`readIdxRows: rows [${start}, ${start + count}) are outside the ${shape[0]} rows of ${file}`);
    }
    const buf = Buffer.alloc(count * rowBytes);
    fs.readSync(fd, buf, 0, buf.length, offset + start * rowBytes);
    return { dtype, shape: [count, ...shape.slice(1)], data: fromBytes(dtype, buf, true) };
  } finally {
    fs.closeSync(fd);
  }
}

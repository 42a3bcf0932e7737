import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { formatNpy, formatNpz, type NdArray, parseNpz, readNpz, writeNpz } from '../index';

/** Bytes of a typed array: the bit-exact comparison (NaN payloads and -0 included). */
const bits = (a: NdArray) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);

const nanPayload = new Float64Array(new BigUint64Array([0x7ff8_0000_dead_beefn]).buffer)[0];
const arrays: Record<string, NdArray> = {
  u: { dtype: 'float64', shape: [2, 3], data: new Float64Array([-0, 1e-310, Math.PI, -Infinity, nanPayload, 1 / 3]) },
  f: { dtype: 'float32', shape: [3], data: new Float32Array([0.1, -2.5, 3e38]) },
  i: { dtype: 'int64', shape: [1, 2], data: new BigInt64Array([-(2n ** 63n), 2n ** 62n + 1n]) },
  s: { dtype: 'uint8', shape: [], data: new Uint8Array([255]) },
  e: { dtype: 'int16', shape: [0, 4], data: new Int16Array(0) },
};

describe.each([false, true])('.npz round trip (compress %s)', (compress) => {
  it('reads back every array bit-exactly, names and shapes included', () => {
    const back = parseNpz(formatNpz(arrays, { compress }));
    expect(Object.keys(back)).toEqual(Object.keys(arrays));
    for (const [k, a] of Object.entries(arrays)) {
      expect(back[k].dtype).toBe(a.dtype);
      expect(back[k].shape).toEqual(a.shape);
      expect(bits(back[k]).equals(bits(a))).toBe(true);
    }
  });
  it('writes the same bytes for the same arrays (reproducible files)', () => {
    expect(Buffer.from(formatNpz(arrays, { compress })).equals(Buffer.from(formatNpz(arrays, { compress })))).toBe(
      true,
    );
  });
});

describe('.npz files', () => {
  it('deflating shrinks a smooth array and stored members hold the raw .npy', () => {
    const x = { shape: [1000], data: Float64Array.from({ length: 1000 }, (_, k) => k % 10) };
    const stored = formatNpz({ x });
    const packed = formatNpz({ x }, { compress: true });
    expect(stored.length).toBeGreaterThan(formatNpy(x).length);
    expect(packed.length).toBeLessThan(stored.length / 10);
  });
  it('writes and reads a file on disk', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aml-npz-')), 'a.npz');
    writeNpz(f, { u: arrays.u }, { compress: true });
    expect(bits(readNpz(f).u).equals(bits(arrays.u))).toBe(true);
    fs.rmSync(path.dirname(f), { recursive: true });
  });
  it.each([
    [
      'not a zip',
      new Uint8Array([1, 2, 3, 4]),
      "x.npz: not a ZIP archive: the first bytes are 01 02 03 04; expected a ZIP archive starting with 'PK'",
    ],
    ['a truncated zip', formatNpz({ u: arrays.u }).subarray(0, 60), 'x.npz: the ZIP archive cannot be read'],
    [
      'a member that is not .npy',
      zipSync({ 'notes.txt': strToU8('hi') }),
      'x.npz[notes.txt]: this member is not a .npy array; expected only name.npy members',
    ],
    [
      'a member that is not a valid .npy',
      zipSync({ 'u.npy': strToU8('hello world') }),
      'x.npz[u.npy]: not a NumPy .npy file',
    ],
  ])('names the file and the member: %s', (_, bytes, message) => {
    expect(() => parseNpz(bytes, 'x.npz')).toThrow(message);
  });
  it('names a missing file and a bad array name', () => {
    expect(() => readNpz('/nonexistent/a.npz')).toThrow(
      '/nonexistent/a.npz: file not found; expected a path to a .npz file',
    );
    expect(() => formatNpz({ 'a/b': arrays.s })).toThrow(
      "formatNpz: array name 'a/b' must be non-empty and without '/'",
    );
  });
});

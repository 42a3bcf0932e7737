import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatIdx, parseIdx, readIdx, readIdxRows, writeIdx } from '../index';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aml-idx-'));

describe('IDX', () => {
  it('decodes bytes laid out as the MNIST page specifies (oracle: hand-written header)', () => {
    // 0x00000803: ubyte, 3 dims; dims 2 x 2 x 3 (big-endian uint32); then 12 pixels
    const bytes = Uint8Array.from([
      0,
      0,
      8,
      3,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3,
      ...Array.from({ length: 12 }, (_, i) => i * 20),
    ]);
    const a = parseIdx(bytes);
    expect(a).toMatchObject({ dtype: 'uint8', shape: [2, 2, 3] });
    expect(Array.from(a.data as Uint8Array)).toEqual(Array.from({ length: 12 }, (_, i) => i * 20));
    expect(Buffer.from(formatIdx(a))).toEqual(Buffer.from(bytes));
  });
  it('labels file (1-d ubyte, magic 0x00000801) and big-endian floats', () => {
    const labels = parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]));
    expect(labels.shape).toEqual([3]);
    expect(Array.from(labels.data as Uint8Array)).toEqual([7, 2, 1]);
    // 1.5f = 0x3fc00000 big-endian
    const f = parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]));
    expect(Array.from(f.data as Float32Array)).toEqual([1.5]);
  });
  it.each([
    ['uint8', Uint8Array.from([0, 255, 128])],
    ['int8', Int8Array.from([-128, 0, 127])],
    ['int16', Int16Array.from([-300, 2, 30000])],
    ['int32', Int32Array.from([-7, 1 << 30, 5])],
    ['float32', Float32Array.from([0.1, -2, 1e30])],
    ['float64', Float64Array.from([Math.PI, -0, 1e-300])],
  ])('%s write -> read is value-exact, plain and gzipped', (_name, data) => {
    const dir = tmp();
    for (const f of ['a.idx', 'a.idx.gz']) {
      writeIdx(path.join(dir, f), { shape: [3, 1], data });
      const back = readIdx(path.join(dir, f));
      expect(back.shape).toEqual([3, 1]);
      expect(back.data).toEqual(data);
    }
    const raw = fs.readFileSync(path.join(dir, 'a.idx'));
    expect(Buffer.from(formatIdx(parseIdx(raw)))).toEqual(raw);
  });
  it('reads a slice of rows in place (equal to the same rows of the whole array)', () => {
    const dir = tmp();
    const data = Float32Array.from({ length: 10 * 3 * 2 }, (_, i) => i * 0.25 - 3);
    writeIdx(path.join(dir, 'a.idx'), { shape: [10, 3, 2], data });
    const part = readIdxRows(path.join(dir, 'a.idx'), 4, 3);
    expect(part.shape).toEqual([3, 3, 2]);
    expect(part.data).toEqual(data.subarray(24, 42));
    expect(() => readIdxRows(path.join(dir, 'a.idx'), 8, 3)).toThrow('rows [8, 11) are outside the 10 rows');
    writeIdx(path.join(dir, 'a.idx.gz'), { shape: [10, 3, 2], data });
    expect(() => readIdxRows(path.join(dir, 'a.idx.gz'), 0, 1)).toThrow('is gzipped, so rows cannot be read in place');
  });
  it('rejects dtypes IDX cannot hold', () => {
    expect(() => formatIdx({ shape: [1], data: new BigInt64Array(1) })).toThrow(
      'IDX holds uint8, int8, int16, int32, float32 or float64 data, got BigInt64Array',
    );
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DType, formatNpy, parseNpy, readNpy, readNpyRows, writeNpy } from '../index';

/** Fixtures written by numpy.save (see fixtures/make_fixtures.py): arange(6).reshape(2, 3) per dtype. */
const fx = (f: string) => path.join(__dirname, 'fixtures', f);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aml-npy-'));

const expected = (dtype: DType): (number | bigint)[] => {
  const base = [0, 1, 2, 3, 4, 5];
  if (dtype.startsWith('float')) return base.map((v) => v * -1.5).map((v) => (v === 0 ? -0 : v));
  const vals = dtype.startsWith('int') ? base.map((v) => v - 2) : base;
  return dtype.endsWith('64') ? vals.map(BigInt) : vals;
};

describe.each([
  'float32',
  'float64',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
] as DType[])('.npy %s', (dtype) => {
  it('reads the file numpy wrote', () => {
    const a = readNpy(fx(`${dtype}.npy`));
    expect(a.dtype).toBe(dtype);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data as ArrayLike<number | bigint>)).toEqual(expected(dtype));
  });
  it('writes the same bytes as numpy.save (read -> write is byte-exact)', () => {
    const bytes = fs.readFileSync(fx(`${dtype}.npy`));
    expect(Buffer.from(formatNpy(parseNpy(bytes)))).toEqual(bytes);
  });
});

describe('.npy layouts', () => {
  it('converts Fortran order to C order', () => {
    const a = readNpy(fx('fortran_f8.npy'));
    expect(Array.from(a.data as Float64Array)).toEqual([-0, -1.5, -3, -4.5, -6, -7.5]);
  });
  it('converts big-endian data', () => {
    expect(Array.from(readNpy(fx('bigendian_i4.npy')).data as Int32Array)).toEqual([-2, -1, 0, 1, 2, 3]);
  });
  it.each([
    ['vector_f8.npy', [3], [0.1, 0.2, 0.3]],
    ['scalar_f8.npy', [], [3.25]],
    ['empty_f4.npy', [0, 3], []],
  ])('%s has shape %j', (f, shape, values) => {
    const bytes = fs.readFileSync(fx(f as string));
    const a = parseNpy(bytes);
    expect(a.shape).toEqual(shape);
    expect(Array.from(a.data as Float64Array)).toEqual(values);
    expect(Buffer.from(formatNpy(a))).toEqual(bytes);
  });
  it('write -> read round trip of a larger float32 array is value-exact, and reading rows reads a slice', () => {
    const data = Float32Array.from({ length: 5 * 4 * 3 }, (_, i) => Math.sin(i) * 1e3);
    const f = path.join(tmp(), 'a.npy');
    writeNpy(f, { shape: [5, 4, 3], data });
    const back = readNpy(f);
    expect(back.shape).toEqual([5, 4, 3]);
    expect(back.data).toEqual(data);
    const rows = readNpyRows(f, 2, 2);
    expect(rows.shape).toEqual([2, 4, 3]);
    expect(rows.data).toEqual(data.subarray(24, 48));
    expect(() => readNpyRows(f, 4, 2)).toThrow('rows [4, 6) are outside the 5 rows');
  });
  it('does not modify the buffer it reads', () => {
    const bytes = fs.readFileSync(fx('bigendian_i4.npy'));
    const copy = Buffer.from(bytes);
    parseNpy(bytes);
    expect(bytes).toEqual(copy);
  });
  it('refuses data that does not match shape or dtype when writing', () => {
    expect(() => formatNpy({ shape: [2, 2], data: new Float64Array(3) })).toThrow(
      'shape (2, 2) has 4 elements but data has 3',
    );
    expect(() => formatNpy({ shape: [1], data: [1] as never })).toThrow('formatNpy: data must be');
  });
});

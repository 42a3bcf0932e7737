/**
 * HDF5 and MAT 7.3 files written by h5py (tools/fixtures/make-fixtures.py), compared with the expected.json
 * the script writes. Skipped, loudly, when the python that made the fixtures has no h5py.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeArrays,
  formatMat,
  type NdArray,
  readArrays,
  readHdf5,
  readMatFile,
  type MatChar,
  type MatNumeric,
} from '../index';
import { pythonFixtures } from '../testing/python-fixtures';

const fx = pythonFixtures();
const file = (f: string) => path.join(fx.dir, f);
const values = (a: NdArray) => Array.from(a.data as ArrayLike<number | bigint>);
const want = (name: string) => {
  const e = fx.expected[name];
  return e.dtype.includes('int') && e.dtype.endsWith('64') ? e.data.map((v) => BigInt(v)) : e.data;
};
const h5 = fx.h5py ? describe : describe.skip;
if (!fx.h5py)
  console.warn(`SKIPPED: HDF5 and MAT 7.3 fixture tests (${fx.python} has no h5py; apt-get install python3-h5py)`);

h5('HDF5 written by h5py (plain.h5: C order, kept as is)', () => {
  it.each([
    ['usol', 'usol'],
    ['x', 'x'],
    ['g/cube', 'cube'],
  ])('dataset %s matches', async (key, name) => {
    const a = (await readHdf5(file('plain.h5')))[key];
    expect(a.shape).toEqual(fx.expected[name].shape);
    expect(values(a)).toEqual(want(name));
  });
});

h5('MAT-file 7.3 (v73.mat: HDF5, transposed, MATLAB_class)', () => {
  it.each(['x', 't', 'usol', 'cube', 'single', 'i16', 'u8', 'i64'])(
    'variable %s comes back in MATLAB shape, C order',
    async (name) => {
      const v = (await readMatFile(file('v73.mat')))[name] as MatNumeric;
      expect({ dtype: v.array.dtype, shape: v.array.shape }).toEqual({
        dtype: fx.expected[name].dtype,
        shape: fx.expected[name].shape,
      });
      expect(values(v.array)).toEqual(want(name));
    },
  );
  it('reads a logical and a struct', async () => {
    const vars = await readMatFile(file('v73.mat'));
    expect((vars.flags as MatNumeric).logical).toBe(true);
    expect(values((vars.flags as MatNumeric).array)).toEqual(want('flags'));
    const arrays = await readArrays(file('v73.mat'));
    expect(values(arrays['s.p'])).toEqual(want('s.p'));
    expect(arrays['s.q'].shape).toEqual([1, 3]);
  });
});

describe('readArrays over every format', () => {
  const expectUsol = (a: NdArray) => {
    expect(a.shape).toEqual(fx.expected.usol.shape);
    expect(values(a)).toEqual(fx.expected.usol.data);
  };
  it.each(['savez.npz', 'savez_compressed.npz', 'v5.mat', 'v5_compressed.mat'])('%s: usol', async (f) => {
    expectUsol((await readArrays(file(f))).usol);
  });
  (fx.h5py ? it.each(['plain.h5', 'v73.mat']) : it.skip.each(['plain.h5', 'v73.mat']))('%s: usol', async (f) => {
    expectUsol((await readArrays(file(f))).usol);
  });
  it('reads a level-5 .mat through readMatFile too', async () => {
    expect(((await readMatFile(file('v5.mat'))).name as MatChar).text).toBe('burgers');
  });
  it('lists arrays with shapes, and names unknown or bad files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-h5-'));
    fs.writeFileSync(path.join(dir, 'a.mat'), formatMat({ x: { shape: [2, 1], data: [1, 2] } }));
    expect(describeArrays(await readArrays(path.join(dir, 'a.mat')))).toBe('x (2, 1) float64');
    await expect(readArrays(path.join(dir, 'a.txt'))).rejects.toThrow(
      "a.txt: unknown array file type '.txt'; expected one of .npy, .npz, .mat, .h5, .hdf5",
    );
    fs.writeFileSync(path.join(dir, 'b.h5'), 'not hdf5');
    await expect(readHdf5(path.join(dir, 'b.h5'))).rejects.toThrow(
      'b.h5: not an HDF5 file (no \\x89HDF signature at byte 0 or 512)',
    );
    const broken = new Uint8Array(fs.readFileSync(fx.h5py ? file('plain.h5') : file('v5.mat')).subarray(0, 700));
    fs.writeFileSync(path.join(dir, 'c.h5'), broken);
    if (fx.h5py) await expect(readHdf5(path.join(dir, 'c.h5'))).rejects.toThrow('c.h5: HDF5 cannot read the file');
    fs.rmSync(dir, { recursive: true });
  });
});

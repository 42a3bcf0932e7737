import { formatMat, matArrays, parseMat, describeMatValue, type MatNumeric } from '../index';

const bits = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const nanPayload = new Float64Array(new BigUint64Array([0x7ff8_0000_dead_beefn]).buffer)[0];
const u = { shape: [2, 3], data: new Float64Array([-0, 1e-310, Math.PI, -Infinity, nanPayload, 1 / 3]) };

describe.each([false, true])('.mat level 5 round trip (compress %s)', (compress) => {
  it('reads back each double variable bit-exactly with its MATLAB shape', () => {
    const vars = parseMat(
      formatMat(
        {
          usol: u,
          x: { shape: [4, 1], data: [0.1, 0.2, 0.3, 0.4] },
          row: { shape: [3], data: [1, 2, 3] },
          s: { shape: [], data: [2.5] },
        },
        { compress },
      ),
    );
    expect(Object.keys(vars)).toEqual(['usol', 'x', 'row', 's']);
    const usol = vars.usol as MatNumeric;
    expect(usol.array.shape).toEqual([2, 3]);
    expect(bits(usol.array.data).equals(bits(u.data))).toBe(true);
    expect(describeMatValue(vars.x)).toBe('float64 (4, 1)');
    expect(describeMatValue(vars.row)).toBe('float64 (1, 3)'); // 1-D is saved as a row, like scipy's oned_as='row'
    expect(describeMatValue(vars.s)).toBe('float64 (1, 1)');
  });
  it('writes the same bytes for the same variables', () => {
    expect(bits(formatMat({ u }, { compress })).equals(bits(formatMat({ u }, { compress })))).toBe(true);
  });
});

describe('.mat level 5 layout', () => {
  it('stores data column-major, as MATLAB does (hand-checked bytes)', () => {
    const bytes = formatMat({ a: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] } });
    // header 128 + miMATRIX tag 8 + flags 16 + dims 16 + name (small element) 8 + miDOUBLE tag 8
    const payload = new Float64Array(bytes.buffer.slice(128 + 8 + 16 + 16 + 8 + 8, 128 + 8 + 16 + 16 + 8 + 8 + 48));
    expect(Array.from(payload)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Buffer.from(bytes.subarray(0, 19)).toString()).toBe('MATLAB 5.0 MAT-file');
    expect(Buffer.from(bytes.subarray(126, 128)).toString()).toBe('IM');
  });
  it('flattens numeric arrays by path', () => {
    expect(Object.keys(matArrays(parseMat(formatMat({ x: u, t: u }))))).toEqual(['x', 't']);
  });
});

describe('.mat level 5 errors', () => {
  const good = formatMat({ usol: u });
  const patched = (at: number, value: number) => {
    const b = new Uint8Array(good);
    b[at] = value;
    return b;
  };
  const hdf = new Uint8Array(600);
  hdf.set([0x89, 0x48, 0x44, 0x46], 512);
  it.each([
    [
      'not a MAT-file',
      new Uint8Array(200),
      "a.mat: not a level-5 MAT-file: the header starts '....................'; expected a file saved by MATLAB (save -v7 or -v6) or scipy.io.savemat",
    ],
    // miMATRIX body: flags 16 + dims 16 + name 8 + miDOUBLE tag 8 + 6 doubles 48 = 96 bytes
    [
      'a truncated file',
      good.subarray(0, 150),
      'a.mat: a data element of 96 bytes runs past the end (14 bytes left) (byte 128); expected a complete file (it may be truncated)',
    ],
    [
      'a complex variable',
      patched(128 + 8 + 8 + 1, 0x08),
      'a.mat[usol]: the array is complex (byte 136); expected real arrays; save real(x) and imag(x) as two variables',
    ],
    [
      'a sparse variable',
      patched(128 + 8 + 8, 5),
      'a.mat[usol]: the variable is a sparse matrix, which cannot be read (byte 136); expected numeric, logical or char arrays, structs or cells (convert it, e.g. full(A)',
    ],
    [
      'a 7.3 file',
      hdf,
      'a.mat: this is a MAT-file 7.3 (HDF5); expected a level-5 file here; read 7.3 files with the async readMatFile (or readHdf5)',
    ],
    [
      'damaged compressed data',
      (() => {
        const b = new Uint8Array(formatMat({ usol: u }, { compress: true }));
        b.fill(0xff, 140, 150);
        return b;
      })(),
      'a.mat: a compressed element cannot be inflated',
    ],
  ])('%s', (_, bytes, message) => {
    expect(() => parseMat(bytes, 'a.mat')).toThrow(message);
  });
  it('rejects bad variable names and sizes when writing', () => {
    expect(() => formatMat({ '2x': u })).toThrow("formatMat: '2x' is not a MATLAB variable name");
    expect(() => formatMat({ x: { shape: [2, 2], data: [1] } })).toThrow(
      "formatMat: variable 'x' has shape (2, 2) = 4 elements but 1 values",
    );
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeMat, writeNpy, writeNpz } from '@aml/data';
import { gridPoints, matchColumns, readReferenceGrid, readReferenceGridSync } from './reference-grid';

const xt = { inputs: ['x', 't'], outputs: ['u'] };

describe('reference grid files', () => {
  let dir: string;
  const f = (name: string) => path.join(dir, name);
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-refgrid-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a CSV by column names, in any column order, extra columns ignored', () => {
    fs.writeFileSync(f('ref.csv'), 'u,t,x,extra\n1.5,0,0.25,9\n-2,0.5,1,9\n');
    const g = readReferenceGridSync(f('ref.csv'), { inputs: ['x', 't'], outputs: ['u', 'v'] });
    expect(g.n).toBe(2);
    expect(matchColumns(g, ['x', 't'], ['u', 'v'])).toEqual(['u']);
    expect(Array.from(gridPoints(g, ['x', 't']))).toEqual([0.25, 0, 1, 0.5]);
    expect(Array.from(g.columns.u)).toEqual([1.5, -2]);
    const renamed = readReferenceGridSync(f('ref.csv'), { ...xt, keys: { u: 'extra' } });
    expect(Array.from(renamed.columns.u)).toEqual([9, 9]);
  });

  it('a column that exists but holds text is named as text, not as missing', () => {
    fs.writeFileSync(f('text.csv'), 'x,t,u\n0,0,1.5 m\n1,0.5,2 m\n');
    const g = readReferenceGridSync(f('text.csv'), { inputs: ['x', 't'], outputs: ['u'] });
    expect(() => matchColumns(g, ['x', 't'], ['u'])).toThrow(/column u holds text, not numbers/);
  });

  it('reads a 2-D .npy with columns in input-then-output order, or as named', () => {
    writeNpy(f('ref.npy'), { shape: [3, 3], data: new Float64Array([0, 0, 1, 0.5, 0, 2, 1, 1, 3]) });
    const g = readReferenceGridSync(f('ref.npy'), xt);
    expect(Array.from(g.columns.t)).toEqual([0, 0, 1]);
    expect(Array.from(g.columns.u)).toEqual([1, 2, 3]);
    expect(Array.from(readReferenceGridSync(f('ref.npy'), { ...xt, columns: ['u', 'x', 't'] }).columns.u)).toEqual([
      0, 0.5, 1,
    ]);
  });

  it("expands Raissi's layout (x (n,1), t (m,1), usol (n,m)) to the tensor grid, x slowest (hand-checked)", async () => {
    writeMat(
      f('raissi.mat'),
      {
        x: { shape: [2, 1], data: [-1, 1] },
        tt: { shape: [3, 1], data: [0, 0.5, 1] },
        usol: { shape: [2, 3], data: [10, 11, 12, 20, 21, 22] },
      },
      { compress: true },
    );
    const g = await readReferenceGrid(f('raissi.mat'), { ...xt, keys: { t: 'tt', u: 'usol' } });
    expect(g.n).toBe(6);
    expect(Array.from(gridPoints(g, ['x', 't']))).toEqual([-1, 0, -1, 0.5, -1, 1, 1, 0, 1, 0.5, 1, 1]);
    expect(Array.from(g.columns.u)).toEqual([10, 11, 12, 20, 21, 22]);
    // the same solution stored as u[t, x] is read transposed; the synchronous reader gives the same
    writeNpz(f('flipped.npz'), {
      x: { shape: [2], data: new Float64Array([-1, 1]) },
      t: { shape: [3], data: new Float64Array([0, 0.5, 1]) },
      u: { shape: [3, 2], data: new Float64Array([10, 20, 11, 21, 12, 22]) },
    });
    const h = readReferenceGridSync(f('flipped.npz'), xt);
    expect(Array.from(h.columns.u)).toEqual([10, 11, 12, 20, 21, 22]);
    expect(Array.from(h.columns.t)).toEqual(Array.from(g.columns.t));
  });

  it('reads scattered points: one vector per name, equal lengths', async () => {
    writeNpz(f('pts.npz'), {
      x: { shape: [3], data: new Float64Array([0, 1, 2]) },
      t: { shape: [3, 1], data: new Float64Array([5, 6, 7]) },
      u: { shape: [1, 3], data: new Float64Array([8, 9, 10]) },
    });
    const g = await readReferenceGrid(f('pts.npz'), xt);
    expect(g.n).toBe(3);
    expect(Array.from(gridPoints(g, ['x', 't']))).toEqual([0, 5, 1, 6, 2, 7]);
  });

  it('a .mat grid and a CSV of the same points give the same columns', async () => {
    const x = [0, 0.3, 0.7, 1];
    const t = [0, 0.5, 1];
    const u = x.flatMap((a) => t.map((b) => Math.sin(a) * Math.exp(-b)));
    writeMat(f('same.mat'), {
      x: { shape: [4, 1], data: x },
      t: { shape: [3, 1], data: t },
      usol: { shape: [4, 3], data: u },
    });
    fs.writeFileSync(
      f('same.csv'),
      'x,t,u\n' + x.flatMap((a, i) => t.map((b, j) => `${a},${b},${u[i * 3 + j]}`)).join('\n') + '\n',
    );
    const m = await readReferenceGrid(f('same.mat'), { ...xt, keys: { u: 'usol' } });
    const c = await readReferenceGrid(f('same.csv'), xt);
    for (const k of ['x', 't', 'u']) expect(Array.from(m.columns[k])).toEqual(Array.from(c.columns[k]));
  });

  it('names what is missing or mismatched, listing the arrays of the file with their shapes', async () => {
    fs.writeFileSync(f('bad.csv'), 'x,u\n0,1\n');
    expect(() => matchColumns(readReferenceGridSync(f('bad.csv'), xt), ['x', 't'], ['u'])).toThrow(
      'no column for input t; the file has x, u, the model takes x, t and gives u',
    );
    writeNpy(f('wide.npy'), { shape: [2, 4], data: new Float64Array(8) });
    expect(() => readReferenceGridSync(f('wide.npy'), xt)).toThrow(
      'the array has 4 columns but 3 names are expected (x, t, u)',
    );
    writeNpy(f('vec.npy'), { shape: [4], data: new Float64Array(4) });
    expect(() => readReferenceGridSync(f('vec.npy'), xt)).toThrow('must be 2-D (points, columns), got shape (4)');
    await expect(readReferenceGrid(f('r.xlsx'), xt)).rejects.toThrow(
      "r.xlsx: unknown reference format '.xlsx'; expected a .csv with a header",
    );
    writeMat(f('r.mat'), {
      xx: { shape: [2, 1], data: [0, 1] },
      tt: { shape: [3, 1], data: [0, 1, 2] },
      usol: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
    });
    await expect(readReferenceGrid(f('r.mat'), xt)).rejects.toThrow(
      "r.mat: no array for input x (looked for 'x'), t (looked for 't'); the file has xx (2, 1) float64, tt (3, 1) float64, usol (2, 3) float64; " +
        "expected map the problem's names to the file's with --keys, e.g. --keys x=x,t=t,u=u",
    );
    await expect(readReferenceGrid(f('r.mat'), { ...xt, keys: { x: 'xx', t: 'tt' } })).rejects.toThrow(
      "no array for any output (u as 'u')",
    );
    await expect(readReferenceGrid(f('r.mat'), { ...xt, keys: { x: 'tt', t: 'tt', u: 'usol' } })).rejects.toThrow(
      'r.mat[usol]: has shape (2, 3) but the grid of x (3), t (3) needs (3, 3), usol[i, j] = value at (x_i, t_j)',
    );
    await expect(readReferenceGrid(f('r.mat'), { ...xt, keys: { x: 'usol', t: 'tt', u: 'usol' } })).rejects.toThrow(
      'r.mat[usol]: input x has shape (2, 3)',
    );
    await expect(readReferenceGrid(f('r.mat'), { ...xt, keys: { y: 'xx' } })).rejects.toThrow(
      "--keys maps 'y', which is neither an input nor an output",
    );
    expect(() => readReferenceGridSync(f('ref.npy'), { ...xt, keys: { u: 'a' } })).toThrow(
      'a .npy file holds one unnamed array, so --keys has nothing to map',
    );
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeNpy } from '@aml/data';
import { removeDir, tempDir } from '../testing/tmp';
import { componentErrors } from './errors';
import { gridPoints, matchColumns, readReferenceGrid } from './reference-grid';

describe('reference grid files', () => {
  let dir: string;
  beforeAll(() => (dir = tempDir()));
  afterAll(() => removeDir(dir));

  it('reads a CSV by column names, in any column order', () => {
    const f = path.join(dir, 'ref.csv');
    fs.writeFileSync(f, 'u,t,x\n1.5,0,0.25\n-2,0.5,1\n');
    const g = readReferenceGrid(f, []);
    expect(g.n).toBe(2);
    expect(matchColumns(g, ['x', 't'], ['u', 'v'])).toEqual(['u']);
    expect(Array.from(gridPoints(g, ['x', 't']))).toEqual([0.25, 0, 1, 0.5]);
    expect(Array.from(g.columns.u)).toEqual([1.5, -2]);
  });

  it('reads a 2-D .npy with columns in input-then-output order', () => {
    const f = path.join(dir, 'ref.npy');
    writeNpy(f, { shape: [3, 3], data: new Float64Array([0, 0, 1, 0.5, 0, 2, 1, 1, 3]) });
    const g = readReferenceGrid(f, ['x', 't', 'u']);
    expect(Array.from(g.columns.t)).toEqual([0, 0, 1]);
    expect(Array.from(g.columns.u)).toEqual([1, 2, 3]);
  });

  it('names what is missing or mismatched', () => {
    const f = path.join(dir, 'bad.csv');
    fs.writeFileSync(f, 'x,u\n0,1\n');
    expect(() => matchColumns(readReferenceGrid(f, []), ['x', 't'], ['u'])).toThrow(
      'no column for input t; the file has x, u, the model takes x, t and gives u',
    );
    const g = path.join(dir, 'noout.csv');
    fs.writeFileSync(g, 'x,t,w\n0,1,2\n');
    expect(() => matchColumns(readReferenceGrid(g, []), ['x', 't'], ['u'])).toThrow('no column for any output (u)');
    const n = path.join(dir, 'wide.npy');
    writeNpy(n, { shape: [2, 4], data: new Float64Array(8) });
    expect(() => readReferenceGrid(n, ['x', 't', 'u'])).toThrow('the array has 4 columns but 3 names are expected (x, t, u)');
    const v = path.join(dir, 'vec.npy');
    writeNpy(v, { shape: [4], data: new Float64Array(4) });
    expect(() => readReferenceGrid(v, ['x', 't', 'u'])).toThrow('must be 2-D (points, columns), got shape (4)');
    expect(() => readReferenceGrid(path.join(dir, 'r.mat'), ['x'])).toThrow("unknown reference format '.mat'");
  });

  it('errors: relative L2, max and RMSE against hand values', () => {
    const e = componentErrors([1, 2, 2], [1, 2, 3]);
    expect(e.relL2).toBeCloseTo(1 / Math.sqrt(14), 15);
    expect(e.maxAbs).toBe(1);
    expect(e.rmse).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(e.meanAbs).toBeCloseTo(1 / 3, 15);
    expect(componentErrors([NaN, 1], [1, 1]).relL2).toBeNaN();
  });
});

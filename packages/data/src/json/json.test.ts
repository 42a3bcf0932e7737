import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { lineColumn, readJson, readJsonTable, writeJson } from '../index';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aml-json-'));

describe('JSON', () => {
  it('write -> read round trip through a zod schema; typed arrays become lists, NaN becomes null', () => {
    const f = path.join(tmp(), 'a.json');
    writeJson(f, { w: Float32Array.from([0.5, -2]), lr: 0.001, name: 'run', bad: NaN });
    const v = readJson(f, z.strictObject({ w: z.array(z.number()), lr: z.number(), name: z.string(), bad: z.null() }));
    expect(v).toEqual({ w: [0.5, -2], lr: 0.001, name: 'run', bad: null });
  });
  it('reads an array of records as a table: numbers, text, missing keys', () => {
    const f = path.join(tmp(), 'r.json');
    fs.writeFileSync(f, JSON.stringify([{ x: 1, s: 'a' }, { x: 2.5, s: null, extra: true }, { s: 'b' }]));
    const t = readJsonTable(f);
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['x', 'number'],
      ['s', 'string'],
      ['extra', 'string'],
    ]);
    expect(Array.from(t.columns[0].values as Float64Array)).toEqual([1, 2.5, NaN]);
    expect(t.columns[1].values).toEqual(['a', null, 'b']);
    expect(t.columns[2].values).toEqual([null, 'true', null]);
  });
  it('lineColumn counts from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

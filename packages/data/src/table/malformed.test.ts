/**
 * A table of malformed inputs, each with the specific message it must produce
 * (file, line, column and what was expected), so a user can fix the file from the message alone.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { DataError, formatNpy, readCsv, readIdx, readJson, readNpy } from '../index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-bad-'));
const file = (name: string, content: string | Uint8Array) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
const npy = formatNpy({ shape: [2, 2], data: Float64Array.from([1, 2, 3, 4]) });
const withDescr = (descr: string) => {
  const b = Buffer.from(npy);
  b.write(descr, b.indexOf("'<f8'") + 1, 'latin1');
  return b;
};
const idxHeader = [0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28];

const cases: [string, () => unknown, string][] = [
  [
    'empty CSV',
    () => readCsv(file('empty.csv', '  \n\n')),
    'empty.csv: the file is empty; expected a header line and at least one data row',
  ],
  [
    'header only',
    () => readCsv(file('head.csv', 'a,b,c\n')),
    'head.csv: the file has a header (a, b, c) but no data rows',
  ],
  [
    'ragged row',
    () => readCsv(file('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n')),
    'ragged.csv:3: row has 2 fields but the header has 3 (a, b, c); expected 3 fields per row',
  ],
  [
    'text in a numeric column',
    () =>
      readCsv(
        file('text.csv', 'x,y\n' + Array.from({ length: 20 }, (_, i) => (i === 13 ? 'abc,1' : `${i},1`)).join('\n')),
      ),
    "text.csv:15:1: column 'x' is numeric (19 of 20 values) but this cell is 'abc'; expected a number or a missing-value marker",
  ],
  [
    'unit inside a numeric cell',
    () =>
      readCsv(
        file(
          'unit.csv',
          'x;y\n' + Array.from({ length: 12 }, (_, i) => (i === 4 ? '1,5 kg;2' : `${i},5;2`)).join('\n'),
        ),
      ),
    "unit.csv:6:1: column 'x' is numeric (11 of 12 values) but this cell is '1,5 kg'",
  ],
  [
    'unknown target column',
    () => readCsv(file('target.csv', 'a,b\n1,2\n'), { target: 'price' }),
    "target.csv: target column 'price' is not in the file; expected one of: a, b",
  ],
  [
    'all-missing column',
    () => readCsv(file('allna.csv', 'a,b,c\n1,,3\n4,NA,6\n')),
    "allna.csv: column 'b' (column 2) has no values: all 2 cells are missing; expected at least one value per column",
  ],
  [
    'all-missing target',
    () => readCsv(file('natarget.csv', 'a,y\n1,\n4,NA\n'), { target: 'y', allowEmptyColumns: true }),
    "column 'y' (column 2) has no values: all 2 cells are missing; expected a target column with values",
  ],
  [
    'duplicate column name',
    () => readCsv(file('dup.csv', 'a,b,a\n1,2,3\n')),
    "dup.csv:1:3: column name 'a' appears twice (columns 1 and 3)",
  ],
  [
    'unclosed quote',
    () => readCsv(file('quote.csv', 'a,b\n1,"open\n2,3\n')),
    'quote.csv:3: a quoted field is not closed before the end of the file',
  ],
  [
    'forced type on a missing column',
    () => readCsv(file('types.csv', 'a\n1\n'), { types: { b: 'string' } }),
    "types.csv: types names column 'b', which is not in the file; expected one of: a",
  ],
  [
    'missing CSV file',
    () => readCsv(path.join(dir, 'nope.csv')),
    'nope.csv: file not found; expected a path to a CSV file',
  ],
  [
    'bad NPY magic',
    () => readNpy(file('magic.npy', 'PK\x03\x04 zip file')),
    'magic.npy: not a NumPy .npy file: the first bytes are 50 4b 03 04 20 7a; expected the magic string \\x93NUMPY',
  ],
  [
    'unsupported NPY dtype',
    () => readNpy(file('c16.npy', fs.readFileSync(path.join(__dirname, '../npy/fixtures/complex.npy')))),
    "c16.npy: dtype '<c16' is not supported; expected one of <f4, <f8, |i1",
  ],
  ['NPY text dtype', () => readNpy(file('str.npy', withDescr('<U1'))), "str.npy: dtype '<U1' is not supported"],
  [
    'truncated NPY',
    () => readNpy(file('short.npy', npy.subarray(0, npy.length - 8))),
    'short.npy: the data has 24 bytes but shape (2, 2) of float64 needs 32; expected a file that is not truncated or padded',
  ],
  [
    'IDX size mismatch',
    () => readIdx(file('mnist.idx', Uint8Array.from([...idxHeader, ...new Array(7000).fill(0)]))),
    'mnist.idx: the header says 10 x 28 x 28 uint8 = 7840 data bytes but the file holds 7000; expected a complete file',
  ],
  [
    'IDX bad type code',
    () => readIdx(file('code.idx', Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 1, 0]))),
    'code.idx: unknown IDX type code 0x0a',
  ],
  [
    'IDX bad magic',
    () => readIdx(file('jpeg.idx', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))),
    'jpeg.idx: not an IDX file: it does not start with two zero bytes',
  ],
  [
    'JSON syntax error',
    () => readJson(file('bad.json', '{\n  "lr": 0.1,\n  "steps": ,\n}'), z.object({})),
    "bad.json:3:12: invalid JSON near ','",
  ],
  [
    'JSON unclosed string',
    () => readJson(file('str.json', '{"a": "x}'), z.object({})),
    "str.json:1:10: invalid JSON near ''",
  ],
  [
    'JSON schema mismatch',
    () => readJson(file('cfg.json', '{"lr": "fast"}'), z.strictObject({ lr: z.number() })),
    'cfg.json: does not match the expected structure:\n✖ Invalid input: expected number, received string\n  → at lr',
  ],
];

describe('malformed inputs give specific messages', () => {
  it('the table has at least 10 cases', () => expect(cases.length).toBeGreaterThanOrEqual(10));
  it.each(cases)('%s', (_name, run, message) => {
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain(message);
  });
});

describe('findJsonError (oracle: JSON.parse accepts exactly the texts it finds no error in)', () => {
  const { findJsonError } = require('../json/locate') as typeof import('../json/locate');
  it.each([
    '{}',
    '[]',
    '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}',
    ' 3 ',
    '{"a": 1,}',
    '[1 2]',
    '{a: 1}',
    '"\\x"',
    '01',
    '[1,]',
    '{"a" 1}',
    'nul',
    '1 2',
    '-',
  ])('%s', (t) => {
    let ok = true;
    try {
      JSON.parse(t);
    } catch {
      ok = false;
    }
    expect(findJsonError(t) === null).toBe(ok);
  });
});

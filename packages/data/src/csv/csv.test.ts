import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectDelimiter, formatCsv, parseCsv, parseNumber, readCsv, streamCsv, writeCsv } from '../index';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aml-csv-'));

describe('parseCsv', () => {
  it('detects delimiter, header, types, quoted fields and missing values', () => {
    const text = 'id;name;x;when\n1;"Smith; J.";1.5;2024-03-01\n2;"say ""hi""\nthere";NA;2024-03-02 12:30\n3;;-2e-3;\n';
    const t = parseCsv(text, 'inline.csv');
    expect(t.nRows).toBe(3);
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'number'],
      ['name', 'string'],
      ['x', 'number'],
      ['when', 'date'],
    ]);
    expect(t.columns[1].values).toEqual(['Smith; J.', 'say "hi"\nthere', null]);
    expect(Array.from(t.columns[2].values as Float64Array)).toEqual([1.5, NaN, -0.002]);
    expect(Array.from(t.columns[3].values as Float64Array)).toEqual([
      Date.UTC(2024, 2, 1),
      Date.UTC(2024, 2, 2, 12, 30),
      NaN,
    ]);
  });
  it('reads a file without a header as c1, c2, ... and tab-separated files', () => {
    const t = parseCsv('1\t2\n3\t4\n', 'x.tsv');
    expect(t.columns.map((c) => c.name)).toEqual(['c1', 'c2']);
    expect(Array.from(t.columns[1].values as Float64Array)).toEqual([2, 4]);
    expect(parseCsv('a,b\n1,2\n', 'x', { header: false }).columns[0].values).toEqual(['a', '1']);
  });
  it("reads decimal commas in semicolon files ('1,5' = 1.5), but not in comma files", () => {
    const t = parseCsv('T;p;site\n20,5;1013,25;a\n-3,0;998;b\n', 'eu.csv');
    expect(Array.from(t.columns[0].values as Float64Array)).toEqual([20.5, -3]);
    expect(Array.from(t.columns[1].values as Float64Array)).toEqual([1013.25, 998]);
    expect(parseCsv('a;b\n1,5;2\n', 'x', { decimal: '.' }).columns[0].type).toBe('string');
    expect(() => parseCsv('a,b\n1,2\n', 'x', { decimal: ',' })).toThrow("decimal ',' needs a delimiter other than ','");
  });
  it('keeps forced types and custom missing markers', () => {
    const t = parseCsv('zip,v\n01234,-999\n02000,3\n', 'x', { types: { zip: 'string' }, missing: ['-999'] });
    expect(t.columns[0].values).toEqual(['01234', '02000']);
    expect(Array.from(t.columns[1].values as Float64Array)).toEqual([NaN, 3]);
  });
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2;3\n', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b\n1|2\n', '|'],
    ['a;b\n"1,5";2\n"3,5";4\n', ';'],
    ['single\n1\n2\n', ','],
  ])('detectDelimiter(%j) = %j', (text, d) => {
    expect(detectDelimiter(text)).toBe(d);
  });
  it('rejects unknown options by name', () => {
    expect(() => parseCsv('a\n1\n', 'x', { delimter: ';' } as never)).toThrow(
      /invalid CSV read options[\s\S]*delimter/,
    );
  });
});

describe('CSV round trips', () => {
  it('write -> read is value-exact (doubles, text with quotes/delimiters/newlines, missing, dates)', () => {
    const src = parseCsv(
      'a,s,d\n0.1,"x,y",2024-01-01T00:00:00.123Z\n1e-300,"he said ""no""",\n,"  padded ",2023-12-31\n',
      'src',
    );
    const a = src.columns[0].values as Float64Array;
    a[1] = Math.PI / 3; // a double that needs all 17 digits
    const dir = tmp();
    const f = path.join(dir, 'out.csv');
    writeCsv(f, src);
    const back = readCsv(f);
    expect(back.columns.map((c) => c.type)).toEqual(['number', 'string', 'date']);
    expect(Array.from(back.columns[0].values as Float64Array)).toEqual([0.1, Math.PI / 3, NaN]);
    expect(back.columns[1].values).toEqual(['x,y', 'he said "no"', '  padded ']);
    expect(Array.from(back.columns[2].values as Float64Array)).toEqual(
      Array.from(src.columns[2].values as Float64Array),
    );
  });
  it('read -> write reproduces a canonical file byte for byte', () => {
    const text = 'x,label,y\n1,"a,b",0.30000000000000004\n-2.5,,1e+21\n';
    expect(formatCsv(parseCsv(text, 'x'))).toBe(text);
  });
  it('infinities survive as inf/-inf', () => {
    const t = parseCsv('v\n1\n2\n', 'x');
    (t.columns[0].values as Float64Array).set([Infinity, -Infinity]);
    expect(formatCsv(t)).toBe('v\ninf\n-inf\n');
    expect(Array.from(parseCsv(formatCsv(t), 'x').columns[0].values as Float64Array)).toEqual([Infinity, -Infinity]);
  });
  it('reading leaves the file untouched', () => {
    const f = path.join(tmp(), 'in.csv');
    fs.writeFileSync(f, 'a,b\n1,2\n');
    const before = fs.statSync(f).mtimeMs;
    readCsv(f);
    expect(fs.readFileSync(f, 'utf8')).toBe('a,b\n1,2\n');
    expect(fs.statSync(f).mtimeMs).toBe(before);
  });
});

describe('streamCsv', () => {
  const big = () => {
    const f = path.join(tmp(), 'big.csv');
    const lines = ['i,sq,tag'];
    for (let i = 0; i < 2500; i++) lines.push(`${i},${i * i},${i % 3 === 0 ? 'a' : 'b'}`);
    fs.writeFileSync(f, lines.join('\n') + '\n');
    return f;
  };
  it('yields batches whose union equals readCsv', async () => {
    const f = big();
    const sizes: number[] = [];
    let sum = 0;
    for await (const b of streamCsv(f, { batchSize: 1000 })) {
      sizes.push(b.nRows);
      const sq = b.columns[1].values as Float64Array;
      for (let k = 0; k < b.nRows; k++) sum += sq[k];
      expect(b.columns.map((c) => c.type)).toEqual(['number', 'number', 'string']);
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    const whole = readCsv(f).columns[1].values as Float64Array;
    expect(sum).toBe(whole.reduce((s, v) => s + v, 0));
  });
  it('enforces the first batch types later, at the right line and column', async () => {
    const f = big();
    fs.appendFileSync(f, 'oops,1,a\n');
    const run = async () => {
      for await (const _ of streamCsv(f, { batchSize: 1000 })) void _;
    };
    await expect(run()).rejects.toThrow(
      `${f}:2502:1: column 'i' is of type number (inferred from the first 1000 rows) but this cell is 'oops'`,
    );
  });
});

describe('parseNumber fast path', () => {
  it('agrees with the decimal grammar on strings over a number-like alphabet (property)', () => {
    const RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
    const special: Record<string, number> = {
      inf: Infinity,
      Inf: Infinity,
      '+inf': Infinity,
      '-inf': -Infinity,
      '-Inf': -Infinity,
      Infinity: Infinity,
      '-Infinity': -Infinity,
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[-+.0-9eExXbBoO_ ,Inf]{0,8}$/), (s) => {
        expect(parseNumber(s)).toBe(RE.test(s) ? Number(s) : special[s]);
      }),
      { numRuns: 3000, seed: 3 },
    );
  });
});

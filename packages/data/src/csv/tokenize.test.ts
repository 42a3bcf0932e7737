import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvTokenizer } from './tokenize';

/** Tokenize `text` fed in pieces cut at `cuts`; records with their start lines. */
function tokenize(text: string, cuts: number[] = [], delimiter = ','): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const t = new CsvTokenizer(delimiter, 'x.csv', (fields, line) => out.push({ fields, line }));
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    t.push(text.slice(at, c));
    at = c;
  }
  t.push(text.slice(at));
  t.end();
  return out;
}

const oracle = (text: string, delimiter = ',') =>
  parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];

describe('CsvTokenizer', () => {
  it('reads quotes, doubled quotes, embedded delimiters and newlines, CRLF, BOM, blank lines; lines are where records start', () => {
    const text = '\ufeffa, b ,c\r\n1,"x,""y""",3\r\n\r\n2," multi\nline ",4\n5,6,7';
    expect(tokenize(text)).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'x,"y"', '3'], line: 2 },
      { fields: ['2', ' multi\nline ', '4'], line: 4 },
      { fields: ['5', '6', '7'], line: 6 },
    ]);
  });

  it.each([
    ['a,b\n1,"open\n2,3\n', 'x.csv:2: a quoted field opened on this line is not closed before the end of the file'],
    ['a,b\n1,2\n3,x"y\n', 'x.csv:3: a quote appears inside an unquoted field'],
    ['a,b\n1,"x"y\n', 'x.csv:2: text follows the closing quote of a field'],
  ])('a stray quote is an error at its line: %j', (text, msg) => {
    expect(() => tokenize(text)).toThrow(msg);
  });

  it('agrees with csv-parse on generated files, however the text is cut into chunks (property)', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9 .-]{0,6}$/),
      fc.constantFrom('x,y', 'say "hi"', 'two\nlines', '', ' pad ', '1e400', ';'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(400), { maxLength: 6 }),
        (rows, d, eol, cuts) => {
          const quote = (v: string) => (/[",;\t\n\r]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);
          const text = rows.map((r) => r.map(quote).join(d)).join(eol) + eol;
          const got = tokenize(
            text,
            cuts.filter((c) => c <= text.length),
            d,
          ).map((r) => r.fields);
          expect(got).toEqual(oracle(text, d));
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});

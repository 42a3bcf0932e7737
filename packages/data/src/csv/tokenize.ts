import { DataError } from '../table/errors';

const QUOTE = 34; // "
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

const QUOTE_HINT = 'fields with quotes to be wrapped in "..." with inner quotes doubled ("")';

/**
 * A streaming CSV tokenizer (RFC 4180: quoted fields, doubled quotes, delimiters and newlines inside quotes,
 * CRLF or LF, a UTF-8 byte-order mark), written for speed on large files: text arrives in chunks, each
 * complete record is handed to `onRecord` with the file line it starts on. Unquoted fields and the space
 * around quoted ones are trimmed; blank lines are skipped. A stray quote is an error at its line.
 *
 * @example
 *   const t = new CsvTokenizer(',', 'x.csv', (fields, line) => rows.push(fields));
 *   t.push('a,b\n1,"x'); t.push('y"\n'); t.end();   // rows: ['a','b'], ['1','xy']
 */
export class CsvTokenizer {
  private buf = '';
  /** File line at the start of `buf`. */
  private line = 1;
  private started = false;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly file: string,
    private readonly onRecord: (fields: string[], line: number) => void,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  /** Feed the next chunk of text. */
  push(chunk: string): void {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    this.consume(false);
  }

  /** The text has ended: emit the last record (an unclosed quote is an error here). */
  end(): void {
    this.consume(true);
  }

  /** Parse every complete record of `buf`; keep the incomplete tail for the next chunk. */
  private consume(final: boolean): void {
    const s = this.buf;
    let i = 0;
    while (i < s.length) {
      const next = this.record(s, i, final);
      if (next < 0) break; // incomplete: wait for more text
      i = next;
    }
    this.buf = i >= s.length ? '' : s.slice(i);
  }

  /** Parse one record starting at `start`; the index after it, or -1 if it is not complete yet. */
  private record(s: string, start: number, final: boolean): number {
    const fields: string[] = [];
    const line = this.line;
    let newlines = 0;
    let i = start;
    const n = s.length;
    for (;;) {
      // leading blanks before a quoted field
      let j = i;
      while (j < n && (s.charCodeAt(j) === SPACE || (s.charCodeAt(j) === TAB && this.delim !== TAB))) j++;
      let c = j < n ? s.charCodeAt(j) : -1;
      if (c === QUOTE) {
        let value = '';
        let k = j + 1;
        for (;;) {
          const q = s.indexOf('"', k);
          if (q < 0 || (q + 1 >= n && !final)) {
            if (!final) return -1;
            throw new DataError(
              { file: this.file, line },
              'a quoted field opened on this line is not closed before the end of the file',
              QUOTE_HINT,
            );
          }
          value += s.slice(k, q);
          if (s.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            k = q + 2;
            continue;
          }
          k = q + 1;
          break;
        }
        newlines += countNewlines(value);
        while (k < n && (s.charCodeAt(k) === SPACE || (s.charCodeAt(k) === TAB && this.delim !== TAB))) k++;
        c = k < n ? s.charCodeAt(k) : -1;
        if (c === -1 && !final) return -1;
        if (c !== -1 && c !== this.delim && c !== LF && c !== CR) {
          throw new DataError(
            { file: this.file, line: line + newlines },
            'text follows the closing quote of a field',
            QUOTE_HINT,
          );
        }
        fields.push(value);
        i = k;
      } else {
        let k = j;
        while (k < n) {
          const d = s.charCodeAt(k);
          if (d === this.delim || d === LF || d === CR) break;
          if (d === QUOTE)
            throw new DataError(
              { file: this.file, line: line + newlines },
              'a quote appears inside an unquoted field',
              QUOTE_HINT,
            );
          k++;
        }
        if (k >= n && !final) return -1;
        let e = k;
        while (e > j && (s.charCodeAt(e - 1) === SPACE || (s.charCodeAt(e - 1) === TAB && this.delim !== TAB))) e--;
        fields.push(s.slice(j, e));
        i = k;
        c = k < n ? s.charCodeAt(k) : -1;
      }
      if (c === this.delim) {
        i++;
        continue;
      }
      // end of record: CRLF, LF, CR or the end of the text
      if (c === CR && i + 1 >= n && !final) return -1;
      if (c === CR) i += s.charCodeAt(i + 1) === LF ? 2 : 1;
      else if (c === LF) i++;
      this.line = line + newlines + (c === -1 ? 0 : 1);
      if (!(fields.length === 1 && fields[0] === '')) this.onRecord(fields, line);
      return i;
    }
  }
}

function countNewlines(v: string): number {
  let k = 0;
  for (let p = v.indexOf('\n'); p >= 0; p = v.indexOf('\n', p + 1)) k++;
  return k;
}

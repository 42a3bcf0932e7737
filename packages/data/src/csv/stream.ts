import * as fs from 'node:fs';
import { parse } from 'csv-parse';
import { DataError } from '../table/errors';
import { ColumnType, Table } from '../table/table';
import { detectDelimiter } from './detect';
import { CsvReadOptions, parseCsvOptions } from './options';
import { buildColumns, checkColumns, checkRagged, csvParseError, splitHeader } from './read';

/** Read the first `bytes` of a file (for detection) without loading the rest. */
function head(file: string, bytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Stream a CSV file larger than memory as tables of `batchSize` rows (default 10,000).
 * Column types are inferred from the first batch and then enforced: a later cell of the wrong kind is an
 * error at its line and column. Memory use is one batch.
 *
 * @example
 *   let sum = 0;
 *   for await (const batch of streamCsv('big.csv', { batchSize: 50_000 })) sum += batch.nRows;
 */
export async function* streamCsv(file: string, options: CsvReadOptions = {}): AsyncGenerator<Table> {
  const o = parseCsvOptions(options);
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to a CSV file');
  if (fs.statSync(file).isDirectory()) throw new DataError({ file }, 'is a folder', 'a path to a CSV file');
  const sample = head(file, 65536);
  if (sample.trim() === '') throw new DataError({ file }, 'the file is empty', 'a header line and at least one data row');
  const delimiter = !o.delimiter || o.delimiter === 'auto' ? detectDelimiter(sample) : o.delimiter;
  const batchSize = o.batchSize ?? 10_000;
  const parser = fs.createReadStream(file).pipe(parse({
    delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, info: true,
    ...(o.maxRows ? { to: o.maxRows + 1 } : {}),
  }));
  let names: string[] | null = null;
  let types: ColumnType[] | undefined;
  let cells: string[][] = [];
  let lines: number[] = [];
  let first = true;
  let inferredFrom = 0;
  let lastLine = 0; // file line of the last complete record (for an unclosed quote's message)
  const flush = (): Table => {
    if (!names) {
      // First batch: header detection on its rows, type inference, table-level checks.
      const split = splitHeader({ cells, lines }, file, o.header ?? 'auto');
      names = split.names;
      const columns = buildColumns(names, split.rows, file, { ...o, delimiter });
      checkColumns(columns, file, o);
      types = columns.map((c) => c.type);
      inferredFrom = split.rows.cells.length;
      return { columns, nRows: split.rows.cells.length, source: file };
    }
    checkRagged(cells, lines, names, file);
    const columns = buildColumns(names, { cells, lines }, file, { ...o, delimiter }, types, inferredFrom);
    return { columns, nRows: cells.length, source: file };
  };
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      cells.push(rec.record);
      lines.push(rec.info.lines);
      lastLine = rec.info.lines;
      // The first batch holds one extra row when it starts with the header.
      if (cells.length >= batchSize + (first ? 1 : 0)) {
        first = false;
        yield flush();
        cells = [];
        lines = [];
      }
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw csvParseError(file, e, lastLine);
  }
  if (cells.length > 0 || !names) yield flush();
}

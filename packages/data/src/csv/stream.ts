import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError } from '../table/errors';
import type { ColumnType, Table } from '../table/table';
import { detectDelimiter } from './detect';
import { type CsvReadOptions, parseCsvOptions } from './options';
import { buildColumns, checkColumns, checkRagged, splitHeader } from './read';
import { CsvTokenizer } from './tokenize';

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
  if (sample.trim() === '')
    throw new DataError({ file }, 'the file is empty', 'a header line and at least one data row');
  const delimiter = !o.delimiter || o.delimiter === 'auto' ? detectDelimiter(sample) : o.delimiter;
  const batchSize = o.batchSize ?? 10_000;
  const limit = o.maxRows ? o.maxRows + 1 : Infinity; // records to read, with a possible header
  let records = 0;
  let names: string[] | null = null;
  let types: ColumnType[] | undefined;
  let cells: string[][] = [];
  let lines: number[] = [];
  let first = true;
  let inferredFrom = 0;
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
  const tokenizer = new CsvTokenizer(delimiter, file, (fields, line) => {
    if (records++ >= limit) return;
    cells.push(fields);
    lines.push(line);
  });
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      tokenizer.push(chunk);
      // The first batch holds one extra row when it starts with the header.
      while (cells.length >= batchSize + (first ? 1 : 0)) {
        const take = batchSize + (first ? 1 : 0);
        const restCells = cells.slice(take);
        const restLines = lines.slice(take);
        cells.length = take;
        lines.length = take;
        first = false;
        yield flush();
        cells = restCells;
        lines = restLines;
      }
      if (records >= limit) break;
    }
    tokenizer.end();
  } finally {
    input.destroy();
  }
  if (cells.length > 0 || !names) yield flush();
}

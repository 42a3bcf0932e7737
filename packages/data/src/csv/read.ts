import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { parse } from 'csv-parse/sync';
import { DataError } from '../table/errors';
import { type Column, type ColumnType, missingCount, type Table } from '../table/table';
import { DEFAULT_MISSING, inferType, toColumn } from './cells';
import { detectDelimiter, looksLikeHeader } from './detect';
import { type CsvReadOptions, parseCsvOptions } from './options';

/** Rows of raw cells with the file line each ended on. */
export interface RawRows {
  readonly cells: string[][];
  readonly lines: number[];
}

/** Turn a csv-parse error into a DataError at its line. */
export function csvParseError(file: string, e: unknown, lastRecordLine?: number): Error {
  const err = e as { code?: string; lines?: number; message?: string };
  if (!err || typeof err.code !== 'string') return e as Error;
  if (err.code === 'CSV_QUOTE_NOT_CLOSED' && lastRecordLine !== undefined) {
    // csv-parse notices at the end of the file; the quote opened on the line after the last complete record.
    return new DataError(
      { file, line: lastRecordLine + 1 },
      'a quoted field opened on this line is not closed before the end of the file',
      'fields with quotes to be wrapped in "..." with inner quotes doubled ("")',
    );
  }
  const what: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
    INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field',
    CSV_INVALID_CLOSING_QUOTE: 'text follows the closing quote of a field',
  };
  return new DataError(
    { file, line: err.lines },
    what[err.code] ?? String(err.message),
    'fields with quotes to be wrapped in "..." with inner quotes doubled ("")',
  );
}

/** Split CSV text into rows with csv-parse (quotes, embedded newlines, BOM), keeping line numbers. */
export function splitRows(text: string, file: string, delimiter: string, maxRows?: number): RawRows {
  let recs: { record: string[]; info: { lines: number } }[];
  try {
    recs = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      ...(maxRows ? { to: maxRows + 1 } : {}),
    }) as unknown as typeof recs;
  } catch (e) {
    throw csvParseError(file, e);
  }
  return { cells: recs.map((r) => r.record), lines: recs.map((r) => r.info.lines) };
}

/** Header names (given or generated) and the data rows, with ragged-row and duplicate-name checks. */
export function splitHeader(raw: RawRows, file: string, header: boolean | 'auto'): { names: string[]; rows: RawRows } {
  if (raw.cells.length === 0)
    throw new DataError({ file }, 'the file is empty', 'a header line and at least one data row');
  const first = raw.cells[0];
  const hasHeader = header === 'auto' ? looksLikeHeader(first, raw.cells.slice(1, 51)) : header;
  const names = hasHeader ? first : first.map((_, j) => `c${j + 1}`);
  if (hasHeader) {
    names.forEach((n, j) => {
      if (n === '')
        throw new DataError(
          { file, line: raw.lines[0], column: j + 1 },
          `column ${j + 1} has an empty name`,
          'a name for every column in the header',
        );
      const k = names.indexOf(n);
      if (k < j)
        throw new DataError(
          { file, line: raw.lines[0], column: j + 1 },
          `column name '${n}' appears twice (columns ${k + 1} and ${j + 1})`,
          'distinct column names',
        );
    });
  }
  const start = hasHeader ? 1 : 0;
  const cells = raw.cells.slice(start);
  const lines = raw.lines.slice(start);
  if (cells.length === 0)
    throw new DataError(
      { file },
      `the file has a header (${names.join(', ')}) but no data rows`,
      'at least one data row',
    );
  checkRagged(cells, lines, names, file);
  return { names, rows: { cells, lines } };
}

/** Every row must have one field per column. */
export function checkRagged(
  cells: readonly string[][],
  lines: readonly number[],
  names: readonly string[],
  file: string,
): void {
  for (let i = 0; i < cells.length; i++) {
    if (cells[i].length !== names.length) {
      throw new DataError(
        { file, line: lines[i] },
        `row has ${cells[i].length} fields but the header has ${names.length} (${names.join(', ')})`,
        `${names.length} fields per row (a delimiter inside a value must be quoted)`,
      );
    }
  }
}

/** Build typed columns from raw rows (type inference, then conversion; errors point at cells). */
export function buildColumns(
  names: readonly string[],
  rows: RawRows,
  file: string,
  o: CsvReadOptions & { delimiter?: string },
  types?: readonly ColumnType[],
  inferredFrom?: number,
): Column[] {
  const missing = new Set(o.missing ?? DEFAULT_MISSING);
  const decimalComma =
    o.decimal === ',' || ((o.decimal ?? 'auto') === 'auto' && o.delimiter !== undefined && o.delimiter !== ',');
  if (decimalComma && o.delimiter === ',')
    throw new Error("decimal ',' needs a delimiter other than ',' (e.g. delimiter: ';')");
  return names.map((name, j) => {
    const cells = rows.cells.map((r) => r[j]);
    const src = {
      file,
      lines: rows.lines,
      column: j + 1,
      decimalComma,
      nonFinite: o.nonFinite,
      hints: o.hints,
      inferredFrom: types?.[j] !== undefined && !o.types?.[name] ? inferredFrom : undefined,
    };
    const type = types?.[j] ?? o.types?.[name] ?? inferType(name, cells, missing, src);
    return toColumn(name, type, cells, missing, src);
  });
}

/** Checks on the finished table: forced types name real columns, no empty column, the target is usable. */
export function checkColumns(columns: readonly Column[], file: string, o: CsvReadOptions): void {
  const names = columns.map((c) => c.name);
  for (const t of Object.keys(o.types ?? {})) {
    if (!names.includes(t))
      throw new DataError(
        { file },
        `${o.hints === 'cli' ? '--types' : 'types'} names column '${t}', which is not in the file`,
        `one of: ${names.join(', ')}`,
      );
  }
  if (o.target !== undefined && !names.includes(o.target)) {
    throw new DataError({ file }, `target column '${o.target}' is not in the file`, `one of: ${names.join(', ')}`);
  }
  columns.forEach((c, j) => {
    if (missingCount(c) === c.values.length && (!o.allowEmptyColumns || c.name === o.target)) {
      throw new DataError(
        { file, column: j + 1 },
        `column '${c.name}' (column ${j + 1}) has no values: all ${c.values.length} cells are missing`,
        c.name === o.target
          ? 'a target column with values'
          : o.hints === 'cli'
            ? 'at least one value per column; remove the column from the file'
            : 'at least one value per column; drop the column or pass allowEmptyColumns: true',
      );
    }
  });
}

/**
 * Parse CSV text into a typed table (delimiter, header and column types detected unless given).
 *
 * @param text  the CSV content.
 * @param file  label used in error messages.
 */
export function parseCsv(text: string, file = '<csv>', options: CsvReadOptions = {}): Table {
  const o = parseCsvOptions(options);
  if (text.trim() === '') throw new DataError({ file }, 'the file is empty', 'a header line and at least one data row');
  const delimiter = !o.delimiter || o.delimiter === 'auto' ? detectDelimiter(text.slice(0, 65536)) : o.delimiter;
  const raw = splitRows(text, file, delimiter, o.maxRows);
  const { names, rows } = splitHeader(raw, file, o.header ?? 'auto');
  const columns = buildColumns(names, rows, file, { ...o, delimiter });
  checkColumns(columns, file, o);
  return { columns, nRows: rows.cells.length, source: file };
}

/**
 * Read a CSV file into a typed table. The file is only read.
 *
 * @example
 *   const t = readCsv('measurements.csv', { target: 'yield' });
 *   t.columns.map((c) => `${c.name}: ${c.type}`)
 */
export function readCsv(file: string, options: CsvReadOptions = {}): Table {
  return parseCsv(readText(file, 'a CSV file'), file, options);
}

/** Read a text file, with a clear error when it is missing or a folder. */
export function readText(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', `a path to ${what}`);
  if (fs.statSync(file).isDirectory()) throw new DataError({ file }, 'is a folder', `a path to ${what}`);
  return fs.readFileSync(file, 'utf8');
}

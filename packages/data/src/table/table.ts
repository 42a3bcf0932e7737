import { DataError } from './errors';

/** A numeric column; missing values are NaN. */
export interface NumericColumn {
  readonly name: string;
  readonly type: 'number';
  readonly values: Float64Array;
}

/** A text column (categories, labels, identifiers); missing values are null. */
export interface StringColumn {
  readonly name: string;
  readonly type: 'string';
  readonly values: readonly (string | null)[];
}

/** A date/time column stored as epoch milliseconds (UTC); missing values are NaN. */
export interface DateColumn {
  readonly name: string;
  readonly type: 'date';
  readonly values: Float64Array;
}

/** One column of a table. */
export type Column = NumericColumn | StringColumn | DateColumn;

/** Column type names. */
export type ColumnType = Column['type'];

/** A column-oriented table, as read from CSV or JSON. Columns all have `nRows` values. */
export interface Table {
  /** Columns in file order. */
  readonly columns: readonly Column[];
  /** Number of rows. */
  readonly nRows: number;
  /** Where it came from (used in error messages). */
  readonly source: string;
}

/** Build a table, checking that columns have equal lengths and distinct names. */
export function makeTable(columns: readonly Column[], source = '<table>'): Table {
  const n = columns.length ? columns[0].values.length : 0;
  const seen = new Set<string>();
  for (const c of columns) {
    if (c.values.length !== n)
      throw new Error(`makeTable: column '${c.name}' has ${c.values.length} values but '${columns[0].name}' has ${n}`);
    if (seen.has(c.name)) throw new Error(`makeTable: column name '${c.name}' appears twice`);
    seen.add(c.name);
  }
  return { columns, nRows: n, source };
}

/** The column called `name`, or a DataError listing the columns there are. */
export function getColumn(t: Table, name: string): Column {
  const c = t.columns.find((x) => x.name === name);
  if (!c) {
    throw new DataError(
      { file: t.source },
      `column '${name}' is not in the table`,
      `one of: ${t.columns.map((x) => x.name).join(', ')}`,
    );
  }
  return c;
}

/** True when value i of column c is missing. */
export function isMissing(c: Column, i: number): boolean {
  return c.type === 'string' ? c.values[i] === null : Number.isNaN(c.values[i]);
}

/** Number of missing values in a column. */
export function missingCount(c: Column): number {
  let k = 0;
  for (let i = 0; i < c.values.length; i++) if (isMissing(c, i)) k++;
  return k;
}

/** A new table with only the rows at `idx` (in that order). The input table is not modified. */
export function selectRows(t: Table, idx: ArrayLike<number>): Table {
  const cols = t.columns.map((c): Column => {
    if (c.type === 'string') return { name: c.name, type: 'string', values: Array.from(idx, (i) => c.values[i]) };
    const v = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) v[k] = c.values[idx[k]];
    return { name: c.name, type: c.type, values: v };
  });
  return { columns: cols, nRows: idx.length, source: t.source };
}

/** A new table with only the named columns (in that order). */
export function selectColumns(t: Table, names: readonly string[]): Table {
  return { columns: names.map((n) => getColumn(t, n)), nRows: t.nRows, source: t.source };
}

/** A new table without the named columns. */
export function dropColumns(t: Table, names: readonly string[]): Table {
  for (const n of names) getColumn(t, n);
  return { columns: t.columns.filter((c) => !names.includes(c.name)), nRows: t.nRows, source: t.source };
}

/** Row i as a plain record (missing values as null; dates as ISO strings). */
export function rowRecord(t: Table, i: number): Record<string, number | string | null> {
  const r: Record<string, number | string | null> = {};
  for (const c of t.columns) {
    if (isMissing(c, i)) r[c.name] = null;
    else if (c.type === 'date') r[c.name] = new Date(c.values[i]).toISOString();
    else r[c.name] = c.values[i] as number | string;
  }
  return r;
}

/**
 * Numeric columns as a row-major matrix (N, d) of float64, for models.
 * Throws naming the first non-numeric column; missing values stay NaN (impute first).
 */
export function toMatrix(
  t: Table,
  names: readonly string[] = t.columns.map((c) => c.name),
): { data: Float64Array; rows: number; cols: number } {
  const cols = names.map((n) => getColumn(t, n));
  for (const c of cols) {
    if (c.type === 'string') {
      throw new DataError(
        { file: t.source },
        `column '${c.name}' holds text and cannot go into a numeric matrix`,
        'numeric columns (one-hot encode text columns first)',
      );
    }
  }
  const d = cols.length;
  const data = new Float64Array(t.nRows * d);
  cols.forEach((c, j) => {
    for (let i = 0; i < t.nRows; i++) data[i * d + j] = c.values[i] as number;
  });
  return { data, rows: t.nRows, cols: d };
}

/**
 * A reference grid from a file: points and reference values in columns named after the
 * problem's inputs and outputs (`x, t, u`), as a CSV with a header or a NumPy .npy array.
 * This is how a user checks a reproduction against a paper's data file.
 *
 * A .npy file has no column names: it must be 2-D (N, k) and its columns are taken in the order
 * `columns` gives (default: the inputs, then the outputs, e.g. x, t, u).
 */
import * as path from 'node:path';
import { readCsv, readNpy } from '@aml/data';
import { ConfigError } from '../experiments/catalog';

/** Named numeric columns of equal length. */
export interface ReferenceGrid {
  /** The file it came from. */
  readonly file: string;
  /** Number of points N. */
  readonly n: number;
  /** Column name -> values (N). */
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/** Read a CSV (header row with names) or a 2-D .npy file (names from `npyColumns`). */
export function readReferenceGrid(file: string, npyColumns: readonly string[]): ReferenceGrid {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.npy') {
    const a = readNpy(file);
    if (a.shape.length !== 2) {
      throw new ConfigError(`${file}: a .npy reference must be 2-D (points, columns), got shape (${a.shape.join(', ')}); save it as np.column_stack([${npyColumns.join(', ')}])`);
    }
    const [n, k] = a.shape;
    if (k !== npyColumns.length) {
      throw new ConfigError(
        `${file}: the array has ${k} columns but ${npyColumns.length} names are expected (${npyColumns.join(', ')}); ` +
          `save the columns in that order, or name them with --columns a,b,c`,
      );
    }
    const columns: Record<string, Float64Array> = {};
    npyColumns.forEach((name, j) => {
      const c = new Float64Array(n);
      for (let i = 0; i < n; i++) c[i] = Number(a.data[i * k + j]);
      columns[name] = c;
    });
    return { file, n, columns };
  }
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') {
    const t = readCsv(file, { header: true });
    const columns: Record<string, Float64Array> = {};
    for (const c of t.columns) {
      if (c.type !== 'number') continue; // text columns (labels) are ignored; only named numbers are compared
      columns[c.name.trim()] = c.values;
    }
    return { file, n: t.nRows, columns };
  }
  throw new ConfigError(`${file}: unknown reference format '${ext || '(no extension)'}'; use a .csv with a header (e.g. x,t,u) or a 2-D .npy array`);
}

/** Check that every input has a column and at least one output has one; returns the outputs present. */
export function matchColumns(grid: ReferenceGrid, inputs: readonly string[], outputs: readonly string[]): string[] {
  const have = Object.keys(grid.columns);
  const missing = inputs.filter((x) => !(x in grid.columns));
  if (missing.length > 0) {
    throw new ConfigError(
      `${grid.file}: no column for input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ` +
        `the file has ${have.join(', ') || '(no numeric columns)'}, the model takes ${inputs.join(', ')} and gives ${outputs.join(', ')}`,
    );
  }
  const present = outputs.filter((u) => u in grid.columns);
  if (present.length === 0) {
    throw new ConfigError(
      `${grid.file}: no column for any output (${outputs.join(', ')}); the file has ${have.join(', ')}; name a column after an output`,
    );
  }
  for (const name of [...inputs, ...present]) {
    const bad = grid.columns[name].findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ConfigError(`${grid.file}: column ${name} has a missing or non-finite value at data row ${bad + 1}`);
  }
  return present;
}

/** The input columns as a row-major (N, d) point array. */
export function gridPoints(grid: ReferenceGrid, inputs: readonly string[]): Float64Array {
  const d = inputs.length;
  const pts = new Float64Array(grid.n * d);
  inputs.forEach((name, j) => {
    const c = grid.columns[name];
    for (let i = 0; i < grid.n; i++) pts[i * d + j] = c[i];
  });
  return pts;
}

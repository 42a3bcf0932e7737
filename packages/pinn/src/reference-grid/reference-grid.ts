/**
 * Reference solutions from a paper's or a solver's data file, to score a model against: CSV with a header
 * naming the inputs and outputs, a 2-D .npy whose columns are the inputs then the outputs, or a .npz / .mat
 * (level 5 or 7.3) / HDF5 file holding axis vectors and a solution array (Raissi's burgers_shock.mat: `x`,
 * `t`, `usol`) or one vector per name. `keys` maps the problem's names to the file's (`u` -> `usol`).
 * The one reader of such files: `pde-lab run` (problem.reference.file) and `pde-lab eval --reference` use it.
 */
import { fs, path } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError, isHdf5, matArrays, readArrays, readCsv, readMat, readNpy, readNpz, type NdArray } from '@aml/data';
import { gridFromArrays, resolveKeys, type ReferenceGrid, type ReferenceGridOptions } from './from-arrays';

const TEXT = ['.csv', '.txt', '.tsv'];
const FORMATS =
  'a .csv with a header (e.g. x,t,u), a 2-D .npy, or a .npz, .mat or .h5 file (with --keys x=x,t=t,u=usol)';

function fromTable(file: string, o: ReferenceGridOptions): ReferenceGrid {
  const t = readCsv(file, { header: true });
  const byName: Record<string, Float64Array> = {};
  for (const c of t.columns) if (c.type === 'number') byName[c.name.trim()] = c.values; // text columns (labels) are not compared
  const key = resolveKeys(file, o);
  const columns: Record<string, Float64Array> = { ...byName };
  for (const [p, f] of Object.entries(key)) {
    if (f !== p && !(f in byName))
      throw new DataError(
        { file },
        `--keys maps ${p} to column '${f}', which is not a numeric column; the file has ${Object.keys(byName).join(', ')}`,
        'a column name from the header',
      );
    if (f in byName) columns[p] = byName[f];
  }
  const textColumns = t.columns.filter((c) => c.type !== 'number').map((c) => c.name.trim());
  return { file, n: t.nRows, columns, textColumns };
}

function fromNpy(file: string, o: ReferenceGridOptions): ReferenceGrid {
  if (o.keys && Object.keys(o.keys).length > 0)
    throw new DataError(
      { file },
      'a .npy file holds one unnamed array, so --keys has nothing to map',
      'a .npz, .mat or .h5 file for --keys, or --columns to name the .npy columns',
    );
  const names = o.columns ?? [...o.inputs, ...o.outputs];
  const a = readNpy(file);
  if (a.shape.length !== 2)
    throw new DataError(
      { file },
      `a .npy reference must be 2-D (points, columns), got shape (${a.shape.join(', ')})`,
      `np.column_stack([${names.join(', ')}])`,
    );
  const [n, k] = a.shape;
  if (k !== names.length) {
    throw new DataError(
      { file },
      `the array has ${k} columns but ${names.length} names are expected (${names.join(', ')})`,
      'the columns in that order, or names for them with --columns a,b,c',
    );
  }
  const columns: Record<string, Float64Array> = {};
  names.forEach((name, j) => (columns[name] = Float64Array.from({ length: n }, (_, i) => Number(a.data[i * k + j]))));
  return { file, n, columns };
}

const unknownFormat = (file: string, ext: string) =>
  new DataError({ file }, `unknown reference format '${ext || '(no extension)'}'`, FORMATS);

/**
 * Read a reference grid synchronously: every format but HDF5 (`.h5`, MAT-file 7.3), which `readReferenceGrid` reads.
 * @returns N points: `columns[name]` (N) for each input and each output found in the file
 */
export function readReferenceGridSync(file: string, o: ReferenceGridOptions): ReferenceGrid {
  const ext = path.extname(file).toLowerCase();
  if (TEXT.includes(ext)) return fromTable(file, o);
  if (ext === '.npy') return fromNpy(file, o);
  let arrays: Record<string, NdArray>;
  if (ext === '.npz') arrays = readNpz(file);
  else if (ext === '.mat') {
    if (fs.existsSync(file) && isHdf5(fs.readFileSync(file)))
      throw new DataError(
        { file },
        'this MAT-file 7.3 (HDF5) is read asynchronously',
        'pde-lab eval --reference for a 7.3 file, or save it with -v7',
      );
    arrays = matArrays(readMat(file));
  } else if (ext === '.h5' || ext === '.hdf5')
    throw new DataError(
      { file },
      'HDF5 files are read asynchronously',
      'pde-lab eval --reference for an .h5 file, or a .npz / .mat copy',
    );
  else throw unknownFormat(file, ext);
  return gridFromArrays(file, arrays, o);
}

/**
 * Read a reference grid: CSV, NPY, NPZ, MAT (5 or 7.3) or HDF5.
 * @example const g = await readReferenceGrid('burgers_shock.mat', { inputs: ['x', 't'], outputs: ['u'], keys: { u: 'usol' } }); // g.n = 25600
 */
export async function readReferenceGrid(file: string, o: ReferenceGridOptions): Promise<ReferenceGrid> {
  const ext = path.extname(file).toLowerCase();
  if (TEXT.includes(ext) || ext === '.npy') return readReferenceGridSync(file, o);
  if (!['.npz', '.mat', '.h5', '.hdf5'].includes(ext)) throw unknownFormat(file, ext);
  return gridFromArrays(file, await readArrays(file), o);
}

/** Check that every input has a column and at least one output has one, all finite; returns the outputs present. */
export function matchColumns(grid: ReferenceGrid, inputs: readonly string[], outputs: readonly string[]): string[] {
  const have = Object.keys(grid.columns);
  const text = [...inputs, ...outputs].filter((x) => !(x in grid.columns) && (grid.textColumns ?? []).includes(x));
  if (text.length > 0) {
    throw new DataError(
      { file: grid.file },
      `column${text.length > 1 ? 's' : ''} ${text.join(', ')} hold${text.length > 1 ? '' : 's'} text, not numbers`,
      'numbers in every row of that column (a unit or a label in a cell makes it text)',
    );
  }
  const missing = inputs.filter((x) => !(x in grid.columns));
  if (missing.length > 0) {
    throw new DataError(
      { file: grid.file },
      `no column for input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the file has ${have.join(', ') || '(no numeric columns)'}, the model takes ${inputs.join(', ')} and gives ${outputs.join(', ')}`,
      'a column per input (or --keys to map names)',
    );
  }
  const present = outputs.filter((u) => u in grid.columns);
  if (present.length === 0)
    throw new DataError(
      { file: grid.file },
      `no column for any output (${outputs.join(', ')}); the file has ${have.join(', ')}`,
      'a column named after an output (or --keys to map names)',
    );
  for (const name of [...inputs, ...present]) {
    const bad = grid.columns[name].findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new DataError(
        { file: grid.file },
        `column ${name} has a missing or non-finite value at data row ${bad + 1}`,
        'finite numbers',
      );
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

export type { ReferenceGrid, ReferenceGridOptions };

/**
 * A reference solution from a grid file: CSV with columns named after the inputs and outputs
 * (any order, extra columns ignored), or NPY of shape (n, d + m) whose columns are the inputs
 * then the outputs (or named by `columns`). Read with @aml/data's readers; used by
 * `pde-lab eval --reference` to score a model against a paper's data file.
 */
import { readCsv, readNpy } from '@aml/data';
import { referenceFromColumns } from './errors';

/** Points (n*d) in input order and values (n*m) in output order. */
export interface ReferenceGrid {
  readonly points: Float64Array;
  readonly values: Float64Array;
  readonly count: number;
}

/**
 * @param file a .csv or .npy path
 * @param inputs input names in the problem's order, e.g. ['x', 't']
 * @param outputs output names, e.g. ['u']
 * @param columns NPY only: the names of the array's columns (default inputs then outputs)
 */
export function readReferenceGrid(file: string, inputs: readonly string[], outputs: readonly string[], columns?: readonly string[]): ReferenceGrid {
  const byName: Record<string, ArrayLike<number>> = {};
  if (file.toLowerCase().endsWith('.npy')) {
    const a = readNpy(file);
    const names = columns ?? [...inputs, ...outputs];
    if (a.shape.length !== 2 || a.shape[1] !== names.length) {
      throw new Error(`${file}: expected a 2-d array with ${names.length} columns (${names.join(', ')}), got shape [${a.shape.join(', ')}]`);
    }
    const [n, k] = a.shape;
    names.forEach((name, j) => (byName[name] = Float64Array.from({ length: n }, (_, r) => Number(a.data[r * k + j]))));
  } else if (file.toLowerCase().endsWith('.csv')) {
    const t = readCsv(file);
    for (const c of t.columns) if (c.type === 'number') byName[c.name] = c.values;
  } else {
    throw new Error(`${file}: reference files must be .csv or .npy`);
  }
  const m = outputs.length;
  const parts = outputs.map((o) => referenceFromColumns(byName, inputs, o));
  const n = parts[0].values.length;
  const values = new Float64Array(n * m);
  parts.forEach((p, j) => p.values.forEach((v, r) => (values[r * m + j] = v)));
  for (let r = 0; r < values.length; r++) {
    if (!Number.isFinite(values[r])) throw new Error(`${file}: row ${Math.floor(r / m) + 1} has a missing or non-numeric value for ${outputs[r % m]}`);
  }
  return { points: parts[0].points, values, count: n };
}

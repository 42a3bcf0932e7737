/**
 * A reference grid from named arrays (a .npz, .mat or HDF5 file): either Raissi's layout, axis vectors and a
 * solution array over their tensor grid (`x` (n, 1), `t` (m, 1), `usol` (n, m) with usol[i, j] = u(x_i, t_j)),
 * or scattered points, one vector per input and output of equal length.
 */
import { DataError, describeArrays, type NdArray } from '@aml/data';

/** Named numeric columns of equal length. */
export interface ReferenceGrid {
  /** The file it came from. */
  readonly file: string;
  /** Number of points N. */
  readonly n: number;
  /** Problem name (input or output) -> values (N). */
  readonly columns: Readonly<Record<string, Float64Array>>;
  /** Columns of a text file that hold text rather than numbers (named in messages). */
  readonly textColumns?: readonly string[];
}

/** What to take from a file: the problem's names, and where each one is in the file. */
export interface ReferenceGridOptions {
  /** The problem's inputs, in order (e.g. ['x', 't']): the axes of a solution array, first axis first. */
  readonly inputs: readonly string[];
  /** The problem's outputs (e.g. ['u']). */
  readonly outputs: readonly string[];
  /** Problem name -> name in the file (`{ t: 'tt', u: 'usol' }`); unnamed ones are looked up under their own name. */
  readonly keys?: Readonly<Record<string, string>>;
  /** A single 2-D .npy (N, k): the names of its k columns in order (default: inputs then outputs). */
  readonly columns?: readonly string[];
}

const dims = (s: readonly number[]) => `(${s.join(', ')})`;
const toF64 = (a: NdArray) => Float64Array.from(a.data as ArrayLike<number | bigint>, Number);
/** Length of a vector: one axis longer than 1 at most ((n), (n, 1), (1, n)); undefined otherwise. */
const vectorLength = (a: NdArray) => (a.shape.filter((d) => d !== 1).length <= 1 ? a.data.length : undefined);

/** Check `keys` names only problem names; returns problem name -> file name for all of them. */
export function resolveKeys(file: string, o: ReferenceGridOptions): Record<string, string> {
  const names = [...o.inputs, ...o.outputs];
  for (const k of Object.keys(o.keys ?? {})) {
    if (!names.includes(k))
      throw new DataError(
        { file },
        `--keys maps '${k}', which is neither an input nor an output`,
        `names among ${names.join(', ')} (e.g. --keys x=x,t=t,u=usol)`,
      );
  }
  return Object.fromEntries(names.map((p) => [p, o.keys?.[p] ?? p]));
}

/** The reference grid in named arrays; errors list the file's arrays with shapes and say how to map them. */
export function gridFromArrays(
  file: string,
  arrays: Readonly<Record<string, NdArray>>,
  o: ReferenceGridOptions,
): ReferenceGrid {
  const key = resolveKeys(file, o);
  const listing = `the file has ${describeArrays(arrays)}`;
  const hint = `map the problem's names to the file's with --keys, e.g. --keys ${[...o.inputs, ...o.outputs].map((p) => `${p}=${key[p]}`).join(',')}`;
  const missing = o.inputs.filter((p) => !(key[p] in arrays));
  if (missing.length > 0)
    throw new DataError(
      { file },
      `no array for input ${missing.map((p) => `${p} (looked for '${key[p]}')`).join(', ')}; ${listing}`,
      hint,
    );
  const present = o.outputs.filter((p) => key[p] in arrays);
  if (present.length === 0)
    throw new DataError(
      { file },
      `no array for any output (${o.outputs.map((p) => `${p} as '${key[p]}'`).join(', ')}); ${listing}`,
      hint,
    );
  const axes = o.inputs.map((p) => {
    const a = arrays[key[p]];
    const len = vectorLength(a);
    if (len === undefined)
      throw new DataError(
        { file: `${file}[${key[p]}]` },
        `input ${p} has shape ${dims(a.shape)}; ${listing}`,
        'a vector of axis values, shape (n), (n, 1) or (1, n)',
      );
    return toF64(a);
  });
  const columns: Record<string, Float64Array> = {};
  const scattered =
    axes.every((a) => a.length === axes[0].length) &&
    present.every((p) => arrays[key[p]].data.length === axes[0].length && vectorLength(arrays[key[p]]) !== undefined);
  if (scattered) {
    o.inputs.forEach((p, j) => (columns[p] = axes[j]));
    for (const p of present) columns[p] = toF64(arrays[key[p]]);
    return { file, n: axes[0].length, columns };
  }
  const lens = axes.map((a) => a.length);
  const n = lens.reduce((s, l) => s * l, 1);
  for (const p of present) columns[p] = solutionValues(file, key[p], arrays[key[p]], lens, o.inputs, listing);
  // The tensor grid in C order: the first input varies slowest, as the solution array's first axis.
  o.inputs.forEach((p, j) => {
    const c = new Float64Array(n);
    const inner = lens.slice(j + 1).reduce((s, l) => s * l, 1);
    for (let k = 0; k < n; k++) c[k] = axes[j][Math.floor(k / inner) % lens[j]];
    columns[p] = c;
  });
  return { file, n, columns };
}

/** An output array over the grid of `lens`, as C-order values (a 2-D array stored the other way round is transposed). */
function solutionValues(
  file: string,
  name: string,
  a: NdArray,
  lens: readonly number[],
  inputs: readonly string[],
  listing: string,
): Float64Array {
  const shape =
    a.shape.length > lens.length && a.shape.slice(lens.length).every((d) => d === 1)
      ? a.shape.slice(0, lens.length)
      : a.shape;
  const same = shape.length === lens.length && shape.every((d, j) => d === lens[j]);
  if (same) return toF64(a);
  const flipped =
    lens.length === 2 && lens[0] !== lens[1] && shape.length === 2 && shape[0] === lens[1] && shape[1] === lens[0];
  if (flipped) {
    // Stored as u[t, x] for inputs (x, t): read it transposed.
    const [r, c] = shape;
    const v = toF64(a);
    const out = new Float64Array(v.length);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j];
    return out;
  }
  throw new DataError(
    { file: `${file}[${name}]` },
    `has shape ${dims(a.shape)} but the grid of ${inputs.map((p, j) => `${p} (${lens[j]})`).join(', ')} needs ${dims(lens)}, ` +
      `${name}[i, j] = value at (${inputs.map((p, j) => `${p}_${'ijkl'[j]}`).join(', ')}); ${listing}`,
    'a solution array over the axes, or one vector per input and output of equal length (scattered points)',
  );
}

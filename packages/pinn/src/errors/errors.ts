/**
 * Errors of a solution against a reference on a grid: relative L2
 * ||u - u_ref||_2 / ||u_ref||_2 and max |u - u_ref|. The reference is a function, values on
 * the same points (from a classical solver or a grid file read by reference-grid/).
 */

/** Error figures. */
export interface ErrorReport {
  /** ||u - ref||_2 / ||ref||_2 (absolute L2 when ref is all zeros). */
  readonly relativeL2: number;
  /** max |u - ref|. */
  readonly maxAbs: number;
  /** sqrt(mean((u - ref)^2)). */
  readonly rmse: number;
  /** Points compared. */
  readonly count: number;
}

/** Compare predicted values with reference values (same length and order). */
export function compareValues(predicted: ArrayLike<number>, reference: ArrayLike<number>): ErrorReport {
  if (predicted.length !== reference.length) {
    throw new Error(
      `errors: ${predicted.length} predicted values but ${reference.length} reference values; evaluate both on the same points`,
    );
  }
  if (predicted.length === 0) throw new Error('errors: no points to compare');
  let num = 0;
  let den = 0;
  let mx = 0;
  for (let i = 0; i < predicted.length; i++) {
    const e = predicted[i] - reference[i];
    if (!Number.isFinite(e))
      throw new Error(`errors: non-finite value at point ${i} (predicted ${predicted[i]}, reference ${reference[i]})`);
    num += e * e;
    den += reference[i] * reference[i];
    mx = Math.max(mx, Math.abs(e));
  }
  return {
    relativeL2: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num),
    maxAbs: mx,
    rmse: Math.sqrt(num / predicted.length),
    count: predicted.length,
  };
}

/**
 * Compare a model's prediction with a reference function on points.
 * @param points (n*d) flat
 * @param predict (n*d) -> (n) values
 * @param exact one point (length d) -> value
 */
export function compareWithFunction(
  points: Float64Array,
  d: number,
  predict: (p: Float64Array) => ArrayLike<number>,
  exact: (p: number[]) => number,
): ErrorReport {
  const n = points.length / d;
  const ref = new Float64Array(n);
  for (let k = 0; k < n; k++) ref[k] = exact(Array.from(points.subarray(k * d, (k + 1) * d)));
  return compareValues(predict(points), ref);
}

/**
 * A reference given as named columns (a CSV/NPY grid: columns named after the inputs and
 * outputs). Returns points (n*d) in the problem's input order and the chosen output's values.
 */
export function referenceFromColumns(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  inputs: readonly string[],
  output: string,
): { points: Float64Array; values: Float64Array } {
  const missing = [...inputs, output].filter((c) => !(c in columns));
  if (missing.length)
    throw new Error(
      `reference: missing column(s) ${missing.join(', ')}; the file has ${Object.keys(columns).join(', ')}`,
    );
  const n = columns[output].length;
  const d = inputs.length;
  const points = new Float64Array(n * d);
  inputs.forEach((name, j) => {
    const col = columns[name];
    if (col.length !== n) throw new Error(`reference: column ${name} has ${col.length} rows, ${output} has ${n}`);
    for (let k = 0; k < n; k++) points[k * d + j] = col[k];
  });
  return { points, values: Float64Array.from(columns[output] as ArrayLike<number>) };
}

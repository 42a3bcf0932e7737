/**
 * Encoders for text (categorical) columns, fitted on training rows: one-hot for features,
 * label indices for classification targets. States are plain JSON.
 */

/** Fitted one-hot encoder: one output column per training category, in sorted order. */
export interface OneHotState {
  readonly kind: 'onehot';
  /** Categories seen in the training rows, sorted. */
  readonly categories: string[];
}

/** Fitted label encoder: class name <-> index 0..k-1. */
export interface LabelEncoderState {
  readonly kind: 'labels';
  /** Class names in index order (sorted; numeric names sorted by value). */
  readonly classes: string[];
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function distinct(values: readonly (string | null)[], rows?: ArrayLike<number>): string[] {
  const set = new Set<string>();
  const n = rows ? rows.length : values.length;
  for (let k = 0; k < n; k++) {
    const v = values[rows ? rows[k] : k];
    if (v !== null) set.add(v);
  }
  return [...set].sort(naturalOrder);
}

/** Fit a one-hot encoder on `values[rows]` (default all); missing (null) values are not a category. */
export function fitOneHot(values: readonly (string | null)[], rows?: ArrayLike<number>): OneHotState {
  return { kind: 'onehot', categories: distinct(values, rows) };
}

/**
 * One-hot encode: (N) values -> (N, k) row-major 0/1 matrix. A missing value or a category not seen in training
 * gives an all-zero row (the model falls back to its bias), rather than failing on new data.
 */
export function applyOneHot(s: OneHotState, values: readonly (string | null)[]): Float64Array {
  const k = s.categories.length;
  const index = new Map(s.categories.map((c, j) => [c, j]));
  const out = new Float64Array(values.length * k);
  values.forEach((v, i) => {
    const j = v === null ? undefined : index.get(v);
    if (j !== undefined) out[i * k + j] = 1;
  });
  return out;
}

/** Fit a label encoder on class names (numbers are given as their text). */
export function fitLabels(values: readonly (string | null)[], rows?: ArrayLike<number>): LabelEncoderState {
  const classes = distinct(values, rows);
  if (classes.length < 2)
    throw new Error(
      `fitLabels: a classification target needs at least 2 classes, found ${classes.length} (${classes.join(', ')})`,
    );
  return { kind: 'labels', classes };
}

/** Class indices of `values`; an unknown or missing class is an error naming it. */
export function applyLabels(s: LabelEncoderState, values: readonly (string | null)[]): Int32Array {
  const index = new Map(s.classes.map((c, j) => [c, j]));
  return Int32Array.from(values, (v, i) => {
    const j = v === null ? undefined : index.get(v);
    if (j === undefined)
      throw new Error(`row ${i + 1}: class '${v}' was not seen in training; known classes: ${s.classes.join(', ')}`);
    return j;
  });
}

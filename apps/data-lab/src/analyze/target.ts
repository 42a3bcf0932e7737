import {
  applyLabels,
  fitLabels,
  getColumn,
  isMissing,
  type LabelEncoderState,
  selectRows,
  type Table,
} from '@aml/data';
import type { SupervisedTask } from '../models/model';

/** How the target column becomes numbers: class indices, or values standardised with training statistics. */
export type TargetEncoding =
  | { readonly kind: 'classes'; readonly labels: LabelEncoderState }
  | { readonly kind: 'standard'; readonly mean: number; readonly std: number };

/** Class names of a target cell (numbers as text, so 0/1 targets work like 'no'/'yes'). */
export function targetTexts(t: Table, target: string): (string | null)[] {
  const c = getColumn(t, target);
  return Array.from({ length: t.nRows }, (_, i) => (isMissing(c, i) ? null : String(c.values[i])));
}

/** The rows with a target value (rows without one cannot be scored), and how many were dropped. */
export function rowsWithTarget(t: Table, target: string): { table: Table; dropped: number } {
  const c = getColumn(t, target);
  const keep: number[] = [];
  for (let i = 0; i < t.nRows; i++) if (!isMissing(c, i)) keep.push(i);
  return { table: keep.length === t.nRows ? t : selectRows(t, keep), dropped: t.nRows - keep.length };
}

/**
 * Fit the target encoding on training rows: the class list (classification; all classes of the column, so
 * every fold has the same K), or mean/std of the training values (regression).
 */
export function fitTarget(t: Table, target: string, task: SupervisedTask, rows: readonly number[]): TargetEncoding {
  if (task === 'classification') return { kind: 'classes', labels: fitLabels(targetTexts(t, target)) };
  const c = getColumn(t, target);
  if (c.type === 'string')
    throw new Error(
      `target '${target}' holds text; a regression target must be numeric (or use --task classification)`,
    );
  const v = rows.map((i) => c.values[i] as number);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) || 1;
  return { kind: 'standard', mean, std };
}

/** Encode the target of every row (N): class index, or standardised value. */
export function encodeTarget(e: TargetEncoding, t: Table, target: string): Float64Array {
  if (e.kind === 'classes') return Float64Array.from(applyLabels(e.labels, targetTexts(t, target)));
  const c = getColumn(t, target);
  return Float64Array.from(c.values as Float64Array, (v) => (v - e.mean) / e.std);
}

/** Model output back to target units (regression only). */
export function decodeValues(e: TargetEncoding, v: Float64Array): Float64Array {
  if (e.kind !== 'standard') return v;
  return Float64Array.from(v, (x) => x * e.std + e.mean);
}

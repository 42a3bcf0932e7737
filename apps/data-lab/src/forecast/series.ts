import { getColumn, isMissing, type Table, timeWindows } from '@aml/data';

/** A univariate series prepared for forecasting. */
export interface Series {
  /** Time stamps (epoch ms or numbers), sorted, length T. */
  readonly time: Float64Array;
  /** Values with gaps forward-filled, length T. */
  readonly values: Float64Array;
  /** How many values were filled. */
  readonly filled: number;
  /** Whether the time column holds dates (epoch ms) rather than plain numbers. */
  readonly isDate: boolean;
}

/**
 * Sort rows by the time column and forward-fill missing target values (a gap takes the previous value;
 * leading gaps the first present one). Rows without a time stamp are dropped.
 */
export function toSeries(t: Table, timeCol: string, target: string): Series {
  const tc = getColumn(t, timeCol);
  const yc = getColumn(t, target);
  if (tc.type === 'string')
    throw new Error(`--time column '${timeCol}' holds text; it must hold dates (ISO) or numbers`);
  if (yc.type !== 'number')
    throw new Error(
      `forecast target '${target}' must be numeric, but it holds ${yc.type === 'string' ? 'text' : 'dates'}`,
    );
  const rows = Array.from({ length: t.nRows }, (_, i) => i).filter((i) => !isMissing(tc, i));
  rows.sort((a, b) => (tc.values[a] as number) - (tc.values[b] as number));
  const time = Float64Array.from(rows, (i) => tc.values[i] as number);
  const raw = Float64Array.from(rows, (i) => yc.values[i] as number);
  const first = raw.find((v) => !Number.isNaN(v));
  if (first === undefined) throw new Error(`forecast target '${target}' has no values`);
  let filled = 0;
  let last = first;
  const values = Float64Array.from(raw, (v) => {
    if (Number.isNaN(v)) {
      filled++;
      return last;
    }
    last = v;
    return v;
  });
  return { time, values, filled, isDate: tc.type === 'date' };
}

/** One-step-ahead windows of a standardised series: X (N, window), y (N), and each target's index. */
export function windowsOf(values: Float64Array, window: number, mean: number, std: number) {
  const z = Float64Array.from(values, (v) => (v - mean) / std);
  const w = timeWindows(z, z.length, 1, { window });
  return { X: { data: w.x, rows: w.n, cols: window }, y: w.y, targetIndex: w.targetIndex };
}

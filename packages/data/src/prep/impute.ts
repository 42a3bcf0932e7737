import { type Column, isMissing, selectRows, type Table } from '../table/table';

/** How missing values are handled: drop the row, or fill with the training mean/median (numbers) or mode (text). */
export type ImputeStrategy = 'drop' | 'mean' | 'median' | 'mode';

/** Fitted fill value of one column. */
export interface ImputerState {
  readonly kind: 'impute';
  readonly strategy: Exclude<ImputeStrategy, 'drop'>;
  /** The value that replaces a missing one (number for numeric/date columns, text for text columns). */
  readonly fill: number | string;
}

/** Median of the finite values (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  // A typed sort (numeric, NaN last) is several times faster than a comparator sort on a million values.
  const sorted = Float64Array.from(values).sort();
  let n = sorted.length;
  while (n > 0 && Number.isNaN(sorted[n - 1])) n--;
  if (n === 0) return NaN;
  const m = n >> 1;
  return n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Fit the fill value of column `c` on `rows` (training indices; default all). */
export function fitImputer(
  c: Column,
  strategy: Exclude<ImputeStrategy, 'drop'>,
  rows?: ArrayLike<number>,
): ImputerState {
  const idx = rows ? Array.from(rows) : Array.from({ length: c.values.length }, (_, i) => i);
  const present = idx.filter((i) => !isMissing(c, i));
  if (present.length === 0)
    throw new Error(`fitImputer: column '${c.name}' has no values in the fitting rows to ${strategy}-impute from`);
  if (c.type === 'string' || strategy === 'mode') {
    const counts = new Map<string, number>();
    for (const i of present) {
      const k = String(c.values[i]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    // Most frequent; ties broken by sorted order so the result does not depend on row order.
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    return { kind: 'impute', strategy: 'mode', fill: c.type === 'string' ? best : Number(best) };
  }
  const vals = present.map((i) => c.values[i] as number);
  const fill = strategy === 'mean' ? vals.reduce((a, b) => a + b, 0) / vals.length : median(vals);
  return { kind: 'impute', strategy, fill };
}

/** A copy of column `c` with missing values replaced by the fitted fill. */
export function applyImputer(s: ImputerState, c: Column): Column {
  if (c.type === 'string') return { ...c, values: c.values.map((v) => v ?? String(s.fill)) };
  const values = Float64Array.from(c.values, (v) => (Number.isNaN(v) ? (s.fill as number) : v));
  return { ...c, values };
}

/** The table without rows that miss a value in any of `columns` (default all), and the kept row indices. */
export function dropMissingRows(
  t: Table,
  columns: readonly string[] = t.columns.map((c) => c.name),
): { table: Table; kept: number[] } {
  const cols = t.columns.filter((c) => columns.includes(c.name));
  const kept: number[] = [];
  for (let i = 0; i < t.nRows; i++) if (!cols.some((c) => isMissing(c, i))) kept.push(i);
  return { table: selectRows(t, kept), kept };
}

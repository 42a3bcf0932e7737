import { getColumn, type Table } from '@aml/data';
import type { DataProfile } from '../profile/profile';

/**
 * Choose feature columns: every column but the target, the time column and `--drop`; date columns and text
 * columns that look like identifiers (more than 20 distinct values and over half the rows) are left out,
 * with the reason logged, since one-hot encoding an identifier only memorises rows; a constant column is left out
 * with a warning that names it.
 */
export function chooseFeatures(
  t: Table,
  profile: DataProfile,
  target: string,
  exclude: readonly string[],
  log: (l: string) => void,
): string[] {
  for (const c of exclude) getColumn(t, c); // a typo in --drop or --time is an error, not a silent no-op
  const out: string[] = [];
  for (const p of profile.columns) {
    if (p.name === target || exclude.includes(p.name)) continue;
    if (p.type === 'date') {
      log(
        `column '${p.name}' holds dates: left out of the features (use --task forecast --time ${p.name} for time series)`,
      );
      continue;
    }
    if (p.type === 'string' && p.distinct > 20 && p.distinct > t.nRows / 2) {
      log(`column '${p.name}' looks like an identifier (${p.distinct} distinct values): left out`);
      continue;
    }
    if (p.missing === t.nRows) {
      log(`column '${p.name}' has no values: left out`);
      continue;
    }
    if (p.distinct === 1) {
      // dates are stored as epoch milliseconds: show them as ISO text
      const v =
        p.type === 'string'
          ? `'${p.top![0][0]}'`
          : p.type === 'number'
            ? String(p.min)
            : new Date(p.min!).toISOString();
      log(
        `warning: column '${p.name}' is constant (${v} in every row with a value): it carries no information and is left out`,
      );
      continue;
    }
    out.push(p.name);
  }
  if (out.length === 0)
    throw new Error(`no usable feature columns besides target '${target}'; the file needs at least one more column`);
  return out;
}

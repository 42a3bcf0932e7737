import { dropMissingRows, getColumn, type Table } from '@aml/data';
import type { AnalyzeOptions } from '../cli/options';
import { listOption } from '../cli/io';
import { forecastPlan, type ForecastPlan } from '../forecast/forecast';
import type { SupervisedTask } from '../models/model';
import { type DataProfile, inferTask, profileTable, type Task } from '../profile/profile';
import { chooseFeatures } from './features';
import { rowsWithTarget } from './target';

/** Everything `analyze` decided about the data before it writes a file. */
export interface AnalyzePlan {
  readonly task: Task;
  /** Why this task (for the log). */
  readonly reason: string;
  /** Lines for the log once it is open: dropped rows, left-out columns, warnings. */
  readonly notes: readonly string[];
  /** Supervised tasks: the rows with a target, their profile and the feature columns. */
  readonly supervised?: {
    readonly table: Table;
    readonly dropped: number;
    readonly profile: DataProfile;
    readonly features: string[];
  };
  /** Forecast: the ordered series and its window. */
  readonly forecast?: ForecastPlan;
}

/**
 * Every check of the data against the options, run before anything is written, so a run that cannot succeed
 * stops with one message and leaves no folder behind: task and target (a text target cannot be regressed, a
 * constant target has nothing to learn), folds against rows, feature columns (constant ones named).
 */
export function preflight(source: Table, o: AnalyzeOptions): AnalyzePlan {
  const notes: string[] = [];
  const target = getColumn(source, o.target);
  const inferred = o.task || o.time ? undefined : inferTask(source, o.target);
  const task: Task = o.task ?? (o.time ? 'forecast' : inferred!.task);
  const reason = o.task
    ? `task ${task} (--task)`
    : o.time
      ? 'task forecast (--time given)'
      : `task ${task}: ${inferred!.reason}`;
  if (target.type === 'string' && task !== 'classification') {
    const first = target.values.find((v) => v !== null);
    throw new Error(
      `target '${o.target}' holds text (e.g. '${first}'), so it cannot be a ${task} target; use --task classification, or fix the column if it should hold numbers`,
    );
  }
  if (task === 'forecast') return { task, reason, notes, forecast: forecastPlan(source, o) };
  let { table, dropped } = rowsWithTarget(source, o.target);
  if (dropped > 0) notes.push(`${dropped} rows without a target value left out`);
  checkTarget(table, o.target, task);
  const profile = profileTable(table);
  const features = chooseFeatures(table, profile, o.target, [...listOption(o.drop), ...(o.time ? [o.time] : [])], (l) =>
    notes.push(l),
  );
  if (o.impute === 'drop') {
    const { table: kept, kept: idx } = dropMissingRows(table, features);
    notes.push(`--impute drop: ${table.nRows - idx.length} rows with a missing feature left out`);
    if (kept.nRows < 2) throw new Error('--impute drop left fewer than 2 rows; use --impute median');
    table = kept;
  }
  if (o.folds > table.nRows) {
    throw new Error(
      `--folds ${o.folds} needs at least ${o.folds} rows with a target, but ${table.source} has ${table.nRows}; lower --folds`,
    );
  }
  return { task, reason, notes, supervised: { table, dropped, profile, features } };
}

/** A target with a single value (or a single class) leaves nothing to learn and scores that mean nothing. */
function checkTarget(t: Table, target: string, task: SupervisedTask): void {
  const c = getColumn(t, target);
  const seen = new Set<string | number>();
  for (let i = 0; i < t.nRows && seen.size < 2; i++) seen.add(c.values[i] as string | number);
  if (seen.size < 2) {
    const v = t.nRows ? [...seen][0] : undefined;
    const what = task === 'classification' ? 'a single class' : 'the same value';
    throw new Error(
      t.nRows === 0
        ? `target '${target}' has no values`
        : `target '${target}' has ${what} (${typeof v === 'string' ? `'${v}'` : v}) in all ${t.nRows} rows: there is nothing to predict, and any score would be meaningless; choose another --target`,
    );
  }
}

/**
 * Choosing the error metric of a sweep, the best run, and the spread of a metric over seeds.
 */
import type { SweepRow } from './table';
import { metricNames } from './table';

/** Metric names tried in this order when none is given: errors first, then losses. */
const ERROR_PATTERNS = [/rel.?l2/i, /error|err\b/i, /rmse/i, /mse/i, /mae/i, /loss/i];
/** Names where bigger is better. */
const SCORE_PATTERN = /acc|f1|r2\b|precision|recall|auc|score/i;

/** Which metric to compare runs by, and whether smaller is better. */
export interface MetricChoice {
  /** Metric name (dotted key of metrics.json). */
  readonly name: string;
  /** True when smaller is better (errors, losses). */
  readonly minimize: boolean;
}

/**
 * The metric to rank runs by: `requested` if given (must exist), else the first numeric metric that
 * looks like an error (relL2, error, rmse, mse, mae, loss), else the first numeric metric.
 * @returns undefined when no run has a numeric metric.
 */
export function chooseMetric(
  rows: readonly SweepRow[],
  requested?: string,
  maximize?: boolean,
): MetricChoice | undefined {
  const numeric = metricNames(rows).filter((m) => rows.some((r) => typeof r.metrics[m] === 'number'));
  if (requested !== undefined) {
    if (!numeric.includes(requested)) {
      throw new Error(
        `collect: metric "${requested}" is not a numeric metric of any run; available: ${numeric.join(', ') || '(none)'}`,
      );
    }
    return { name: requested, minimize: maximize === undefined ? !SCORE_PATTERN.test(requested) : !maximize };
  }
  for (const p of ERROR_PATTERNS) {
    const hits = numeric.filter((m) => p.test(m) && !/seconds|time/i.test(m));
    // Held-out errors say more about a setting than training errors.
    const hit = hits.find((m) => /test|val|eval|holdout/i.test(m)) ?? hits[0];
    if (hit) return { name: hit, minimize: maximize === undefined ? true : !maximize };
  }
  if (numeric.length === 0) return undefined;
  return { name: numeric[0], minimize: maximize === undefined ? !SCORE_PATTERN.test(numeric[0]) : !maximize };
}

/** The metric of `row`, if it is a finite number. */
export function metricOf(row: SweepRow, metric: string): number | undefined {
  const v = row.metrics[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The best finished run by `choice`, or undefined when none has the metric. */
export function bestRun(rows: readonly SweepRow[], choice: MetricChoice): SweepRow | undefined {
  let best: SweepRow | undefined;
  let bestV = choice.minimize ? Infinity : -Infinity;
  for (const r of rows) {
    const v = metricOf(r, choice.name);
    if (v !== undefined && (choice.minimize ? v < bestV : v > bestV)) [best, bestV] = [r, v];
  }
  return best;
}

/** Mean, sample standard deviation (0 for one value), min, max and count of `xs` (non-empty). */
export function summarize(xs: readonly number[]): { mean: number; std: number; min: number; max: number; n: number } {
  if (xs.length === 0) throw new Error('summarize: no values');
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { mean, std, min, max, n };
}

/**
 * Runs grouped by their varied values (seeds pooled): one group per parameter combination,
 * in first-seen order, with the metric's spread over seeds.
 */
export function groupOverSeeds(rows: readonly SweepRow[], metric: string) {
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) {
    const key = JSON.stringify(r.values);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  return [...groups.values()].map((g) => {
    const xs = g.map((r) => metricOf(r, metric)).filter((v): v is number => v !== undefined);
    return { values: g[0].values, runs: g, stats: xs.length > 0 ? summarize(xs) : undefined };
  });
}

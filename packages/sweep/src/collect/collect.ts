/**
 * `collect`: one table (CSV and JSON) and one HTML report for a sweep folder.
 */
import type { PlotlyMode } from '@aml/plot';
import { basename } from 'node:path';
import { writeSweepReport } from './report';
import { bestRun, chooseMetric, type MetricChoice } from './stats';
import { collectRows, writeTables, type SweepRow } from './table';

/** Options of `collectSweep`. */
export interface CollectOptions {
  /** Metric to rank runs by (default: the first error-like metric, see `chooseMetric`). */
  readonly metric?: string;
  /** Larger is better (default: guessed from the name: accuracy, f1, r2... are maximised). */
  readonly maximize?: boolean;
  /** How the report loads plotly (default 'copy'). */
  readonly plotly?: PlotlyMode;
}

/** What `collectSweep` wrote and found. */
export interface CollectResult {
  /** Every run. */
  readonly rows: readonly SweepRow[];
  /** The ranking metric, if any run has one. */
  readonly metric?: MetricChoice;
  /** The best run, if any. */
  readonly best?: SweepRow;
  /** Written files. */
  readonly files: { readonly csv: string; readonly json: string; readonly report: string };
}

/**
 * Collect the sweep in `sweepDir` (`results/<sweep>`): write table.csv, table.json and report.html.
 * @example const { best } = collectSweep('results/heat-sizes'); console.log(best?.id);
 */
export function collectSweep(sweepDir: string, options: CollectOptions = {}): CollectResult {
  const rows = collectRows(sweepDir);
  const metric = chooseMetric(rows, options.metric, options.maximize);
  const { csv, json } = writeTables(sweepDir, rows);
  const report = writeSweepReport(sweepDir, rows, { name: basename(sweepDir), choice: metric, plotly: options.plotly });
  return { rows, metric, best: metric ? bestRun(rows, metric) : undefined, files: { csv, json, report } };
}

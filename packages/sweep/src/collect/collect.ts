/**
 * `collect`: one table (CSV and JSON) and one HTML report for a sweep folder.
 */
import type { PlotlyMode } from '@aml/plot';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { overheadOf, type OverheadSummary } from './overhead';
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
  /** True when every run has ended (done or failed). A partial sweep's files are named `*.partial.*` and name no best run. */
  readonly complete: boolean;
  /** Runs not finished (queued, running, preempted, never started). */
  readonly unfinished: number;
  /** Time per run outside training, when the runs report their training time. */
  readonly overhead?: OverheadSummary;
  /** The ranking metric, if any run has one. */
  readonly metric?: MetricChoice;
  /** The best run, if the sweep is complete and any run has the metric. */
  readonly best?: SweepRow;
  /** Written files. */
  readonly files: { readonly csv: string; readonly json: string; readonly report: string };
}

/** File names of the tables and report: `table.csv`..., or `table.partial.csv`... while runs are unfinished. */
export function collectFileNames(complete: boolean) {
  const tag = complete ? '' : '.partial';
  return { csv: `table${tag}.csv`, json: `table${tag}.json`, report: `report${tag}.html` };
}

/**
 * Collect the sweep in `sweepDir` (`results/<sweep>`): write table.csv, table.json and report.html.
 * While any run is unfinished the files are `table.partial.csv`, `table.partial.json` and
 * `report.partial.html` (and complete-looking files from before are removed): the report says
 * which runs are missing and names no best run, so a partial sweep cannot pass for a finished one.
 * @example const { best } = collectSweep('results/heat-sizes'); console.log(best?.id);
 */
export function collectSweep(sweepDir: string, options: CollectOptions = {}): CollectResult {
  const rows = collectRows(sweepDir);
  const unfinished = rows.filter((r) => r.state !== 'done' && r.state !== 'failed').length;
  const complete = unfinished === 0;
  const metric = chooseMetric(rows, options.metric, options.maximize);
  const names = collectFileNames(complete);
  // Whichever kind is written, the other kind is stale.
  for (const f of Object.values(collectFileNames(!complete))) rmSync(join(sweepDir, f), { force: true });
  const { csv, json } = writeTables(sweepDir, rows, names);
  const report = writeSweepReport(sweepDir, rows, {
    name: basename(sweepDir),
    choice: metric,
    plotly: options.plotly,
    fileName: names.report,
  });
  const best = complete && metric ? bestRun(rows, metric) : undefined;
  return { rows, complete, unfinished, overhead: overheadOf(rows), metric, best, files: { csv, json, report } };
}

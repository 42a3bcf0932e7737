/**
 * The sweep's HTML report (through @aml/plot's report builder): the chosen error metric against each
 * varied parameter (log axes when the values span a decade or more), its spread over seeds
 * (mean with min-max bars, every seed as a dot; std in a table), the best run highlighted, failures listed,
 * and the time each run spent outside training.
 */
import { baseLayout, Report, type Figure, type PlotlyMode, type Trace } from '@aml/plot';
import type { Json } from '../spec/paths';
import { formatOverhead, overheadOf } from './overhead';
import { bestRun, groupOverSeeds, metricOf, type MetricChoice } from './stats';
import { rowsToTable, valueCell, variedParameters, type SweepRow } from './table';

/** True when `xs` are all positive and span at least a factor of 10: a log axis reads better. */
export function wantsLogAxis(xs: readonly number[]): boolean {
  const pos = xs.filter((x) => Number.isFinite(x));
  return (
    pos.length > 1 &&
    pos.every((x) => x > 0) &&
    pos.reduce((a, b) => Math.max(a, b)) / pos.reduce((a, b) => Math.min(a, b)) >= 10
  );
}

/** x coordinate of a value: numbers stay numbers, anything else becomes its compact JSON label. */
function xOf(v: Json | undefined): number | string {
  return typeof v === 'number' ? v : String(valueCell(v ?? null));
}

/**
 * Figure: `choice.name` against parameter `param`. One series per combination of the other varied
 * parameters; each series shows every seed (dots) and the mean over seeds with min-max bars; the
 * best run is a large star.
 */
export function metricVsParameterFigure(
  rows: readonly SweepRow[],
  param: string,
  choice: MetricChoice,
  markBest = true,
): Figure {
  const others = variedParameters(rows).filter((p) => p !== param);
  const finished = rows.filter((r) => metricOf(r, choice.name) !== undefined);
  const series = new Map<string, SweepRow[]>();
  for (const r of finished) {
    const key = others.map((p) => `${p}=${valueCell(r.values[p] ?? null)}`).join(' ') || choice.name;
    if (!series.has(key)) series.set(key, []);
    series.get(key)!.push(r);
  }
  const numericX = finished.every((r) => typeof r.values[param] === 'number');
  const data: Trace[] = [];
  let color = 0;
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  for (const [name, rs] of series) {
    const c = palette[color++ % palette.length];
    const groups = groupOverSeeds(rs, choice.name).filter((g) => g.stats);
    if (numericX) groups.sort((a, b) => (a.values[param] as number) - (b.values[param] as number));
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${name} (mean over seeds)`,
      legendgroup: name,
      x: groups.map((g) => xOf(g.values[param])),
      y: groups.map((g) => g.stats!.mean),
      // min-max bars rather than +-std: they stay drawable on a log axis (mean - std may be negative).
      error_y: {
        type: 'data',
        symmetric: false,
        visible: true,
        array: groups.map((g) => g.stats!.max - g.stats!.mean),
        arrayminus: groups.map((g) => g.stats!.mean - g.stats!.min),
      },
      line: { color: c },
    });
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${name} (each seed)`,
      legendgroup: name,
      showlegend: false,
      x: rs.map((r) => xOf(r.values[param])),
      y: rs.map((r) => metricOf(r, choice.name)!),
      text: rs.map((r) => `run ${r.id}, seed ${r.seed}`),
      marker: { color: c, size: 6, opacity: 0.45 },
    });
  }
  const best = markBest ? bestRun(finished, choice) : undefined;
  if (best) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `best run ${best.id}`,
      x: [xOf(best.values[param])],
      y: [metricOf(best, choice.name)!],
      marker: { symbol: 'star', size: 16, color: 'crimson', line: { color: 'black', width: 1 } },
    });
  }
  const xs = numericX ? finished.map((r) => r.values[param] as number) : [];
  const ys = finished.map((r) => metricOf(r, choice.name)!);
  const layout = baseLayout(
    { title: `${choice.name} vs ${param}`, xLabel: param, yLabel: choice.name },
    numericX && wantsLogAxis(xs) ? 'log' : 'linear',
    wantsLogAxis(ys) ? 'log' : 'linear',
  );
  if (!numericX) (layout.xaxis as Record<string, unknown>).type = 'category';
  return { data, layout };
}

/** Options of `sweepReport`. */
export interface SweepReportOptions {
  /** Sweep name (the report title). */
  readonly name: string;
  /** The metric runs are ranked by (undefined: no run has a numeric metric). */
  readonly choice?: MetricChoice;
}

/** Build the report (not yet written). */
export function sweepReport(rows: readonly SweepRow[], o: SweepReportOptions): Report {
  const params = variedParameters(rows);
  const count = (s: string) => rows.filter((x) => x.state === s).length;
  const unfinished = rows.filter((x) => x.state !== 'done' && x.state !== 'failed');
  const r = new Report(`sweep ${o.name}${unfinished.length ? ' (PARTIAL)' : ''}`);
  if (unfinished.length > 0) {
    r.text(
      `PARTIAL: ${unfinished.length} of ${rows.length} runs have not finished (${[...new Set(unfinished.map((x) => x.state))].join(', ')}). ` +
        'No best run is named and the figures show only the finished runs; `sweep run --attach` waits for the rest, then collects again.',
    );
  }
  const seeds = new Set(rows.map((x) => x.seed)).size;
  r.text(
    `${rows.length} runs (${params.length} varied parameter(s) × ${seeds} seed(s)): ${count('done')} done, ${count('failed')} failed, ${rows.length - count('done') - count('failed')} not finished.` +
      (o.choice
        ? ` Runs are ranked by ${o.choice.name} (${o.choice.minimize ? 'smaller' : 'larger'} is better).`
        : ' No run wrote a numeric metric yet.'),
  );
  const best = o.choice && unfinished.length === 0 ? bestRun(rows, o.choice) : undefined;
  if (best && o.choice) {
    r.section('Best run');
    r.metrics(
      {
        id: best.id,
        ...Object.fromEntries(Object.entries(best.values).map(([k, v]) => [k, valueCell(v)])),
        seed: best.seed,
        [o.choice.name]: best.metrics[o.choice.name],
      },
      `best by ${o.choice.name}; its folder is runs/${best.id}/`,
    );
  }
  if (o.choice) {
    const choice = o.choice;
    r.section(`${choice.name} against each parameter`);
    for (const p of params)
      r.figure(
        metricVsParameterFigure(rows, p, choice, unfinished.length === 0),
        `${choice.name} vs ${p}: mean over seeds with bars from the smallest to the largest seed, dots are single seeds${unfinished.length ? '' : ', the star is the best run'}.`,
      );
    r.section('Spread over seeds');
    const groups = groupOverSeeds(rows, choice.name);
    r.table(
      {
        columns: [...params, 'seeds', 'mean', 'std', 'min', 'max'],
        rows: groups.map((g) => [
          ...params.map((p) => valueCell(g.values[p])),
          g.stats?.n ?? 0,
          g.stats?.mean ?? null,
          g.stats?.std ?? null,
          g.stats?.min ?? null,
          g.stats?.max ?? null,
        ]),
      },
      `${choice.name} over seeds for each parameter combination`,
    );
  }
  const failed = rows.filter((x) => x.state === 'failed');
  if (failed.length > 0) {
    r.section('Failed runs');
    r.table(
      {
        columns: ['id', 'exit code', 'seed', 'values', 'log'],
        rows: failed.map((f) => [f.id, f.exitCode, f.seed, JSON.stringify(f.values), f.log]),
      },
      'rerun them with --retry-failed once fixed',
    );
  }
  const overhead = overheadOf(rows);
  if (overhead) {
    r.section('Time outside training');
    r.text(
      `${formatOverhead(overhead)}. A run's time outside training is its wrapper's wall time minus the trainSeconds ` +
        'it reports: process start and module loading, config checks, the backend, writing results. ' +
        'Wall time includes waiting for a CPU, so on a busy machine it exceeds the CPU time (cpuSeconds in the table).',
    );
  }
  r.section('All runs');
  r.table(
    rowsToTable(rows),
    `also in ${unfinished.length ? 'table.partial.csv and table.partial.json' : 'table.csv and table.json'} next to this report`,
  );
  return r;
}

/** Write the report into the sweep folder (`report.html` unless `fileName` says otherwise); returns its path. */
export function writeSweepReport(
  sweepDir: string,
  rows: readonly SweepRow[],
  o: SweepReportOptions & { plotly?: PlotlyMode; fileName?: string },
): string {
  return sweepReport(rows, o).write(sweepDir, { plotly: o.plotly, fileName: o.fileName });
}

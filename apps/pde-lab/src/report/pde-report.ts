/**
 * The run report (`report.html`): metrics, loss curves per term (log axis), the training methods'
 * record (loss weights, causal weights, learning rate, resampling; errors per time window), the solution, its
 * reference and the error map (heatmaps for two inputs, curves for one), slices at chosen values
 * of one input with any classical baselines drawn on them, and the config that produced it.
 */
import { heatmapFigure, lineFigure, Report, type LineSeries, type TableData } from '@aml/plot';
import type { SolverTrace } from '../adapter/contract';
import type { WindowErrors } from '../commands/run-history';
import { column } from '../eval/errors';
import type { GridEvaluation } from './evaluate';
import { slicePoints } from '@aml/pinn';
import type { SolutionView } from './solution';
import { addPointsFigure, addTraceFigures, addWindowErrors } from './training-figures';

/** Classical-solver curves drawn on slice `at` (matched by value). */
export interface BaselineCurve {
  /** Value of the slice input, e.g. t = 0.05; absent for a one-input problem (drawn on the solution plot). */
  readonly at?: number;
  /** Output name the curve belongs to. */
  readonly output: string;
  /** Legend name, e.g. 'FTCS dx=0.1'. */
  readonly name: string;
  /** Abscissae along the slice and values there. */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** Everything the report shows. */
export interface PdeReportInput {
  readonly title: string;
  readonly description: string;
  /** Source of the setting (paper, course section). */
  readonly source?: string;
  readonly solution: SolutionView;
  readonly evaluation: GridEvaluation;
  /** Loss history: total and named terms, per step (phases concatenated). */
  readonly history: { readonly loss: readonly number[]; readonly terms: Readonly<Record<string, readonly number[]>> };
  /** Step index where each training phase starts (drawn as labels in the caption). */
  readonly phases?: readonly { readonly name: string; readonly start: number }[];
  /** Trainable coefficients per step (inverse problems). */
  readonly coefficients?: Readonly<Record<string, readonly number[]>>;
  /** Their true values, drawn as dashed lines. */
  readonly truth?: Readonly<Record<string, number>>;
  /** Metrics table (nested objects flatten to dotted names). */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** Slices: input held fixed and its values. */
  readonly slices?: { readonly axis: string; readonly at: readonly number[] };
  /** Baseline curves on the slices. */
  readonly baselineCurves?: readonly BaselineCurve[];
  /** Comparison table (e.g. FTCS vs network vs exact). */
  readonly comparison?: TableData;
  /** The solver's record beyond the losses (weights, causal weights, learning rate, sampling). */
  readonly trace?: SolverTrace;
  /** A time-marching run's errors per window. */
  readonly windowErrors?: readonly WindowErrors[];
  /** The resolved config, shown verbatim. */
  readonly config: unknown;
}

/** Thin a long series to at most `max` points for the page (keeps first and last). */
function thin(y: readonly number[], max = 2000): { x: number[]; y: number[] } {
  const step = Math.max(1, Math.ceil(y.length / max));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < y.length; i += step) [xs[xs.length], ys[ys.length]] = [i, y[i]];
  if (y.length > 0 && xs[xs.length - 1] !== y.length - 1)
    [xs[xs.length], ys[ys.length]] = [y.length - 1, y[y.length - 1]];
  return { x: xs, y: ys };
}

/** [min, max] over one or two arrays (a loop: spreading 10^6 values into Math.min overflows the stack). */
function extent(a: ArrayLike<number>, b?: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of b ? [a, b] : [a]) {
    for (let i = 0; i < arr.length; i++) [lo, hi] = [Math.min(lo, arr[i]), Math.max(hi, arr[i])];
  }
  return [lo, hi];
}

/** JSON with short arrays and objects on one line (a config reads like the file it came from). */
export function compactJson(v: unknown, indent = ''): string {
  const one = JSON.stringify(v);
  if (one === undefined) return 'null';
  if (one.length + indent.length <= 100 || v === null || typeof v !== 'object') return one;
  const inner = indent + '  ';
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + compactJson(x, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${compactJson(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** Build the report (call `.write(dir)` on the result). */
export function buildPdeReport(r: PdeReportInput): Report {
  const rep = new Report(r.title);
  const s = r.solution;
  const m = s.outputs.length;
  rep.text(r.description + (r.source ? `\n\nSetting: ${r.source}` : ''));
  rep.section('Metrics').metrics(r.metrics);
  if (r.comparison) rep.section('Comparison with classical schemes').table(r.comparison);

  rep.section('Training');
  const series: LineSeries[] = [{ name: 'total', ...thin(r.history.loss) }];
  for (const [k, v] of Object.entries(r.history.terms)) series.push({ name: k, ...thin(v as number[]), dash: 'dot' });
  const phaseNote = r.phases?.length
    ? ` Phases: ${r.phases.map((p) => `${p.name} from step ${p.start}`).join(', ')}.`
    : '';
  rep.figure(
    lineFigure(series, { title: 'loss per term', yScale: 'log', xLabel: 'step', yLabel: 'loss' }),
    `Loss terms per step (log axis).${phaseNote}`,
  );

  for (const [k, v] of Object.entries(r.coefficients ?? {})) {
    if (v.length === 0) continue;
    const cs: LineSeries[] = [{ name: `learned ${k}`, ...thin(v as number[]) }];
    const t = r.truth?.[k];
    if (t !== undefined) cs.push({ name: `true ${k}`, x: [0, v.length - 1], y: [t, t], dash: 'dash' });
    rep.figure(
      lineFigure(cs, { title: `coefficient ${k}`, xLabel: 'step', yLabel: k }),
      `Trainable coefficient ${k} during training.`,
    );
  }

  if (r.trace) addTraceFigures(rep, r.trace);
  if (r.trace?.finalPoints) addPointsFigure(rep, r.trace.finalPoints, s.inputs, (r.trace.windows?.length ?? 0) > 1);

  const ev = r.evaluation;
  rep.section('Solution');
  s.outputs.forEach((out, j) => {
    const pred = column(ev.pred, m, j);
    const ref = ev.ref ? column(ev.ref, m, j) : undefined;
    if (ev.grid.axes.length === 2) {
      const [xs, ys] = ev.grid.axes;
      const labels = { xLabel: s.inputs[0], yLabel: s.inputs[1] };
      const range = extent(pred, ref);
      rep.figure(
        heatmapFigure({ x: xs, y: ys, z: pred }, { ...labels, title: `network ${out}`, zLabel: out, zRange: range }),
      );
      if (ref) {
        rep.figure(
          heatmapFigure({ x: xs, y: ys, z: ref }, { ...labels, title: `reference ${out}`, zLabel: out, zRange: range }),
        );
        const err = pred.map((v, i) => v - ref[i]);
        rep.figure(
          heatmapFigure(
            { x: xs, y: ys, z: err },
            { ...labels, title: `error ${out} - reference`, zLabel: 'error', colorscale: 'RdBu' },
          ),
        );
      }
    } else {
      const x = ev.grid.axes[0];
      const curves: LineSeries[] = [{ name: `network ${out}`, x, y: pred }];
      if (ref) curves.push({ name: `reference ${out}`, x, y: ref, dash: 'dash' });
      for (const b of r.baselineCurves ?? [])
        if (b.output === out && b.at === undefined) curves.push({ name: b.name, x: b.x, y: b.y, mode: 'markers' });
      rep.figure(lineFigure(curves, { title: out, xLabel: s.inputs[0], yLabel: out }));
      if (ref)
        rep.figure(
          lineFigure([{ name: `error ${out}`, x, y: pred.map((v, i) => v - ref[i]) }], {
            title: `error ${out}`,
            xLabel: s.inputs[0],
          }),
        );
    }
  });

  if (r.windowErrors?.length) addWindowErrors(rep.section('Time windows'), r.windowErrors, s.outputs);
  if (r.slices && s.inputs.length >= 2) addSlices(rep, r, r.slices);
  rep.section('Config').code(compactJson(r.config));
  return rep;
}

function addSlices(rep: Report, r: PdeReportInput, sl: { axis: string; at: readonly number[] }): void {
  const s = r.solution;
  const fixed = s.inputs.indexOf(sl.axis);
  if (fixed < 0) throw new Error(`report.slices.axis '${sl.axis}' is not an input; use one of ${s.inputs.join(', ')}`);
  const along = fixed === 0 ? 1 : 0;
  const m = s.outputs.length;
  rep.section(`Slices at fixed ${sl.axis}`);
  for (const at of sl.at) {
    const { along: xs, points } = slicePoints(s.box, along, fixed, at, 201);
    const pred = s.predict(points);
    const ref = s.reference?.(points);
    s.outputs.forEach((out, j) => {
      const series: LineSeries[] = [];
      // Baselines first, so network and reference are drawn on top; dense grids as dotted lines, coarse ones as markers.
      for (const b of r.baselineCurves ?? []) {
        if (b.output === out && b.at !== undefined && Math.abs(b.at - at) < 1e-12) {
          series.push(
            b.x.length > 30
              ? { name: b.name, x: b.x, y: b.y, dash: 'dot' }
              : { name: b.name, x: b.x, y: b.y, mode: 'markers' },
          );
        }
      }
      series.push({ name: 'network', x: xs, y: column(pred, m, j) });
      if (ref) series.push({ name: 'reference', x: xs, y: column(ref, m, j), dash: 'dash' });
      rep.figure(lineFigure(series, { title: `${out} at ${sl.axis} = ${at}`, xLabel: s.inputs[along], yLabel: out }));
    });
  }
}

import { baseLayout, type CommonOptions, type Figure, type Numbers, toArray } from './spec';

/** One sample set of a histogram. */
export interface HistogramSeries {
  /** Legend name. */
  readonly name: string;
  /** Sample values; non-finite values are skipped. */
  readonly values: Numbers;
}

/** Options of `histogramFigure`. */
export interface HistogramOptions extends CommonOptions {
  /** Number of bins (default 30). */
  readonly bins?: number;
  /** Normalise each series to a probability density (to overlay a pdf). */
  readonly density?: boolean;
}

/**
 * Overlaid histograms with shared bins, computed here (not by plotly) so the bin edges are reproducible
 * and visible in the JSON spec.
 *
 * @example
 *   histogramFigure([{ name: 'samples', values: xs }], { bins: 40, density: true })
 */
export function histogramFigure(series: readonly HistogramSeries[], o: HistogramOptions = {}): Figure {
  const bins = o.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1)
    throw new Error(`histogramFigure: bins must be a positive integer, got ${bins}`);
  const all = series.flatMap((s) => toArray(s.values).filter((v) => v !== null));
  if (all.length === 0) throw new Error('histogramFigure: no finite values to histogram');
  // A loop, not Math.min(...all): spreading more than ~125,000 values overflows the call stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of all) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const w = (hi - lo) / bins;
  const centers = Array.from({ length: bins }, (_, b) => lo + (b + 0.5) * w);
  const data = series.map((s) => {
    const counts = histogramCounts(s.values, lo, hi, bins);
    const n = counts.reduce((a, b) => a + b, 0);
    const y = o.density ? counts.map((c) => (n > 0 ? c / (n * w) : 0)) : counts;
    return { type: 'bar', name: s.name, x: centers, y, width: w, opacity: series.length > 1 ? 0.6 : 1 };
  });
  const layout = baseLayout({ yLabel: o.density ? 'density' : 'count', ...o });
  layout.barmode = 'overlay';
  layout.bargap = 0;
  return { data, layout };
}

/** Counts of `values` in `bins` equal bins on [lo, hi] (the last bin includes hi). */
export function histogramCounts(values: Numbers, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
  }
  return counts;
}

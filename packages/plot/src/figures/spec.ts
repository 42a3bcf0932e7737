/**
 * Plotly figure specs as plain JSON data.
 *
 * `plotly.js-dist` cannot be loaded inside Node (it touches `self` at import), so the helpers here never
 * import plotly: they build the JSON that `Plotly.newPlot(div, data, layout)` takes in the browser.
 * A spec is serialisable, so it can be saved, diffed in tests and rendered later by the report builder.
 */

/** One plotly trace (e.g. `{ type: 'scatter', x, y, mode: 'lines' }`); extra plotly keys pass through. */
export interface Trace {
  readonly type: string;
  readonly name?: string;
  readonly [key: string]: unknown;
}

/** Plotly layout (title, axes, size...); extra plotly keys pass through. */
export interface Layout {
  readonly title?: { readonly text: string } | string;
  readonly [key: string]: unknown;
}

/** A figure: the `data` and `layout` arguments of `Plotly.newPlot`. */
export interface Figure {
  readonly data: readonly Trace[];
  readonly layout: Layout;
}

/** Axis scale: plotly's 'linear', 'log' (base 10) or 'date' (values are epoch milliseconds, shown as dates). */
export type AxisScale = 'linear' | 'log' | 'date';

/** Options shared by every figure helper. */
export interface CommonOptions {
  /** Figure title. */
  readonly title?: string;
  /** x-axis label. */
  readonly xLabel?: string;
  /** y-axis label. */
  readonly yLabel?: string;
  /** Pixel width (default: fill the report column). */
  readonly width?: number;
  /** Pixel height (default 400). */
  readonly height?: number;
}

/** Array-like numbers accepted by the helpers (plain arrays or typed arrays). */
export type Numbers = ArrayLike<number>;

/** Copy to a plain array (plotly JSON must not hold typed arrays, which JSON.stringify turns into objects). */
export function toArray(v: Numbers): number[] {
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    // NaN/Inf are not JSON; plotly draws null as a gap, which is what a missing point should look like.
    out[i] = Number.isFinite(x) ? x : (null as unknown as number);
  }
  return out;
}

/** The layout keys every helper sets from `CommonOptions`. */
export function baseLayout(
  o: CommonOptions,
  xScale: AxisScale = 'linear',
  yScale: AxisScale = 'linear',
): Record<string, unknown> {
  const layout: Record<string, unknown> = {
    xaxis: { title: { text: o.xLabel ?? '' }, type: xScale },
    yaxis: { title: { text: o.yLabel ?? '' }, type: yScale },
    height: o.height ?? 400,
    margin: { l: 60, r: 20, t: o.title ? 50 : 20, b: 50 },
  };
  if (o.title) layout.title = { text: o.title };
  if (o.width) layout.width = o.width;
  return layout;
}

/** Throw a clear error when two arrays that are plotted together differ in length. */
export function checkSameLength(what: string, a: Numbers, b: Numbers, aName = 'x', bName = 'y'): void {
  if (a.length !== b.length) {
    throw new Error(
      `${what}: ${aName} has ${a.length} values but ${bName} has ${b.length}; they must have the same length`,
    );
  }
}

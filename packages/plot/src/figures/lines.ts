import {
  type AxisScale,
  baseLayout,
  checkSameLength,
  type CommonOptions,
  type Figure,
  type Numbers,
  toArray,
  type Trace,
} from './spec';

/** One curve of a line plot. */
export interface LineSeries {
  /** Legend name. */
  readonly name: string;
  /** Abscissae (default 0, 1, 2, ...: e.g. training steps). */
  readonly x?: Numbers;
  /** Ordinates, same length as `x`. */
  readonly y: Numbers;
  /** 'lines' (default), 'markers' or 'lines+markers'. */
  readonly mode?: 'lines' | 'markers' | 'lines+markers';
  /** Plotly dash style, e.g. 'dash', 'dot'. */
  readonly dash?: string;
}

/** Options of `lineFigure`. */
export interface LineOptions extends CommonOptions {
  /** x-axis scale (default 'linear'). */
  readonly xScale?: AxisScale;
  /** y-axis scale (default 'linear'; 'log' for loss curves). */
  readonly yScale?: AxisScale;
}

/**
 * Line plot of one or more series, e.g. a loss history on a log axis.
 *
 * @example
 *   lineFigure([{ name: 'train', y: history.loss }], { title: 'loss', yScale: 'log', xLabel: 'step' })
 */
export function lineFigure(series: readonly LineSeries[], o: LineOptions = {}): Figure {
  if (series.length === 0) throw new Error('lineFigure: series is empty; pass at least one { name, y }');
  const data: Trace[] = series.map((s) => {
    if (s.x) checkSameLength(`lineFigure series '${s.name}'`, s.x, s.y);
    const x = s.x ? toArray(s.x) : Array.from({ length: s.y.length }, (_, i) => i);
    let y = toArray(s.y);
    // A log axis cannot show values <= 0; plotly would silently drop them, so make the gap explicit.
    if (o.yScale === 'log') y = y.map((v) => (v !== null && v > 0 ? v : (null as unknown as number)));
    return {
      type: 'scatter',
      name: s.name,
      x,
      y,
      mode: s.mode ?? 'lines',
      line: s.dash ? { dash: s.dash } : undefined,
    };
  });
  return { data, layout: baseLayout(o, o.xScale, o.yScale) };
}

import {
  baseLayout,
  checkSameLength,
  type CommonOptions,
  type Figure,
  type Numbers,
  toArray,
  type Trace,
} from './spec';

/** Options of `scatterFigure`. */
export interface ScatterOptions extends CommonOptions {
  /** Category of each point (one trace per category, with a legend), e.g. class labels. */
  readonly labels?: ArrayLike<string | number>;
  /** Continuous colour of each point (one trace with a colour bar), e.g. a predicted value. */
  readonly color?: Numbers;
  /** Colour-bar title when `color` is given. */
  readonly colorLabel?: string;
  /** Marker size in px (default 5). */
  readonly size?: number;
  /** Draw the y = x diagonal (for predicted-vs-true plots). */
  readonly diagonal?: boolean;
}

/**
 * Scatter plot of points (x[i], y[i]): an embedding coloured by class, or predictions against truth.
 *
 * @example
 *   scatterFigure(yTrue, yPred, { xLabel: 'true', yLabel: 'predicted', diagonal: true })
 */
export function scatterFigure(x: Numbers, y: Numbers, o: ScatterOptions = {}): Figure {
  checkSameLength('scatterFigure', x, y);
  if (o.labels && o.color)
    throw new Error('scatterFigure: give either labels (categories) or color (continuous), not both');
  const size = o.size ?? 5;
  const xs = toArray(x);
  const ys = toArray(y);
  const data: Trace[] = [];
  if (o.labels) {
    if (o.labels.length !== x.length)
      throw new Error(`scatterFigure: labels has ${o.labels.length} values but x has ${x.length}`);
    const groups = new Map<string, number[]>();
    for (let i = 0; i < xs.length; i++) {
      const k = String(o.labels[i]);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(i);
    }
    const keys = [...groups.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    for (const k of keys) {
      const idx = groups.get(k)!;
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: k,
        x: idx.map((i) => xs[i]),
        y: idx.map((i) => ys[i]),
        marker: { size },
      });
    }
  } else if (o.color) {
    checkSameLength('scatterFigure', x, o.color, 'x', 'color');
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: o.colorLabel ?? 'points',
      x: xs,
      y: ys,
      marker: {
        size,
        color: toArray(o.color),
        colorscale: 'Viridis',
        showscale: true,
        colorbar: { title: { text: o.colorLabel ?? '' } },
      },
    });
  } else {
    data.push({ type: 'scatter', mode: 'markers', name: 'points', x: xs, y: ys, marker: { size } });
  }
  if (o.diagonal) {
    // A loop, not Math.min(...values): spreading more than ~125,000 values overflows the call stack.
    let lo = Infinity;
    let hi = -Infinity;
    for (const list of [xs, ys])
      for (const v of list)
        if (v !== null && Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'y = x',
      x: [lo, hi],
      y: [lo, hi],
      line: { dash: 'dash', color: 'gray' },
    });
  }
  return { data, layout: baseLayout(o) };
}

import { baseLayout, type CommonOptions, type Figure, type Numbers, toArray } from './spec';

/**
 * A scalar field sampled on a rectangular grid: `z[j][i]` is the value at (x[i], y[j]).
 * Row-major flat arrays are accepted too: `z[j * x.length + i]`.
 */
export interface GridField {
  /** Grid abscissae, length nx (numbers, or category names such as column names). */
  readonly x: Numbers | readonly string[];
  /** Grid ordinates, length ny (numbers, or category names). */
  readonly y: Numbers | readonly string[];
  /** Values: ny rows of nx numbers, or a flat row-major array of length ny * nx. */
  readonly z: readonly Numbers[] | Numbers;
}

/** Options of `heatmapFigure` and `contourFigure`. */
export interface FieldOptions extends CommonOptions {
  /** Plotly colour scale name (default 'Viridis'; 'RdBu' for signed errors). */
  readonly colorscale?: string;
  /** Colour-bar title. */
  readonly zLabel?: string;
  /** Fix the colour range, e.g. to compare two panels. */
  readonly zRange?: readonly [number, number];
}

/** Reshape a field's values to ny rows of nx, checking the sizes. */
export function fieldRows(f: GridField, what: string): number[][] {
  const nx = f.x.length;
  const ny = f.y.length;
  const z = f.z as ArrayLike<unknown>;
  if (z.length > 0 && typeof z[0] !== 'number') {
    const rows = f.z as readonly Numbers[];
    if (rows.length !== ny)
      throw new Error(`${what}: z has ${rows.length} rows but y has ${ny} values; z must be (ny, nx) = (${ny}, ${nx})`);
    return rows.map((r, j) => {
      if (r.length !== nx)
        throw new Error(
          `${what}: z row ${j} has ${r.length} values but x has ${nx}; z must be (ny, nx) = (${ny}, ${nx})`,
        );
      return toArray(r);
    });
  }
  const flat = f.z as Numbers;
  if (flat.length !== nx * ny) {
    throw new Error(`${what}: flat z has ${flat.length} values but the grid is ny * nx = ${ny} * ${nx} = ${nx * ny}`);
  }
  const rows: number[][] = [];
  for (let j = 0; j < ny; j++) rows.push(toArray(Array.prototype.slice.call(flat, j * nx, (j + 1) * nx) as number[]));
  return rows;
}

function axisValues(v: Numbers | readonly string[]): (number | string)[] {
  return typeof v[0] === 'string' ? [...(v as readonly string[])] : toArray(v as Numbers);
}

function fieldFigure(type: 'heatmap' | 'contour', f: GridField, o: FieldOptions): Figure {
  const z = fieldRows(f, `${type}Figure`);
  const trace = {
    type,
    x: axisValues(f.x),
    y: axisValues(f.y),
    z,
    colorscale: o.colorscale ?? 'Viridis',
    colorbar: { title: { text: o.zLabel ?? '' } },
    ...(o.zRange ? { zmin: o.zRange[0], zmax: o.zRange[1] } : {}),
  };
  const layout = baseLayout(o);
  // Named axes are categories: a 'linear' axis would have no place to put them and draw an empty frame.
  if (typeof f.x[0] === 'string') layout.xaxis = { ...(layout.xaxis as object), type: 'category' };
  if (typeof f.y[0] === 'string')
    layout.yaxis = { ...(layout.yaxis as object), type: 'category', autorange: 'reversed' };
  return { data: [trace], layout };
}

/**
 * Heatmap of a field u(x, y) on a grid, e.g. a PINN solution u(x, t) or its error.
 *
 * @example
 *   heatmapFigure({ x: xs, y: ts, z: u }, { title: 'u(x, t)', xLabel: 'x', yLabel: 't' })
 */
export function heatmapFigure(f: GridField, o: FieldOptions = {}): Figure {
  return fieldFigure('heatmap', f, o);
}

/** Filled contour plot of a field on a grid (same input as `heatmapFigure`). */
export function contourFigure(f: GridField, o: FieldOptions = {}): Figure {
  return fieldFigure('contour', f, o);
}

import type { Figure } from './spec';

/** Options of `confusionFigure`. */
export interface ConfusionOptions {
  /** Figure title (default 'confusion matrix'). */
  readonly title?: string;
  /** Show row-normalised rates (recall per true class) instead of counts. */
  readonly normalize?: boolean;
  /** Pixel height (default 400). */
  readonly height?: number;
}

/**
 * Confusion matrix as an annotated heatmap: `matrix[t][p]` counts samples of true class t predicted as p.
 * Rows are true classes (top to bottom), columns predicted classes.
 *
 * @example
 *   confusionFigure([[50, 2], [3, 45]], ['cat', 'dog'])
 */
export function confusionFigure(
  matrix: readonly (readonly number[])[],
  classes: readonly string[],
  o: ConfusionOptions = {},
): Figure {
  const k = classes.length;
  if (matrix.length !== k)
    throw new Error(
      `confusionFigure: matrix has ${matrix.length} rows but there are ${k} classes; it must be (${k}, ${k})`,
    );
  matrix.forEach((row, i) => {
    if (row.length !== k)
      throw new Error(`confusionFigure: matrix row ${i} has ${row.length} columns; it must be (${k}, ${k})`);
  });
  const z = matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (o.normalize ? (total > 0 ? v / total : 0) : v));
  });
  let zMax = 1e-12;
  for (const row of z) for (const v of row) zMax = Math.max(zMax, v);
  const annotations: unknown[] = [];
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const v = z[t][p];
      // dark text on light cells, light text on dark ones, so every number stays legible
      annotations.push({
        x: classes[p],
        y: classes[t],
        text: o.normalize ? v.toFixed(2) : String(v),
        showarrow: false,
        font: { color: v > zMax / 2 ? 'white' : 'black' },
      });
    }
  }
  return {
    data: [
      {
        type: 'heatmap',
        x: [...classes],
        y: [...classes],
        z,
        colorscale: 'Blues',
        reversescale: true,
        showscale: true,
      },
    ],
    layout: {
      title: { text: o.title ?? 'confusion matrix' },
      xaxis: { title: { text: 'predicted' }, type: 'category' },
      yaxis: { title: { text: 'true' }, type: 'category', autorange: 'reversed' },
      annotations,
      height: o.height ?? 400,
    },
  };
}

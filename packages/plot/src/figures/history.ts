import { lineFigure } from './lines';
import type { Figure } from './spec';

/**
 * The shape of a training history (as @aml/core's trainer returns it; plot stays a leaf package, so the type
 * is structural): the loss per step and optional named terms per step.
 */
export interface HistoryLike {
  /** Loss at each step. */
  readonly loss: readonly number[];
  /** Named loss terms at each step (PDE residual, boundary, KL, ...). */
  readonly terms?: Readonly<Record<string, readonly number[]>>;
}

/**
 * Loss and loss terms per step on a log axis: the first figure of every training report.
 *
 * @example
 *   report.figure(historyFigure(await train({ ... }), { title: 'PINN training' }));
 */
export function historyFigure(h: HistoryLike, o: { title?: string; every?: number } = {}): Figure {
  if (h.loss.length === 0) throw new Error('historyFigure: the history has no steps');
  const every = o.every ?? Math.max(1, Math.floor(h.loss.length / 2000)); // keep reports light: at most ~2000 points
  const pick = (v: readonly number[]) => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < v.length; i += every) {
      x.push(i);
      y.push(v[i]);
    }
    return { x, y };
  };
  const series = [
    { name: 'loss', ...pick(h.loss) },
    ...Object.entries(h.terms ?? {}).map(([name, v]) => ({ name, ...pick(v), dash: 'dot' })),
  ];
  return lineFigure(series, { title: o.title ?? 'training loss', xLabel: 'step', yLabel: 'loss', yScale: 'log' });
}

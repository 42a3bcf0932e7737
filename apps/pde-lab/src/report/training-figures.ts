/**
 * The report's figures of what the solver did besides lowering the loss: loss weights per term,
 * the causal minimum weight and epsilon, the learning rate, where the residual points changed
 * (refinement, resampling), and the errors per window of a time-marching run.
 */
import { lineFigure, scatterFigure, type LineSeries, type Report } from '@aml/plot';
import type { SolverTrace } from '../adapter/contract';
import type { WindowErrors } from '../commands/run-history';
import { keptSteps } from '../commands/run-history';

/** At most `max` points of `y` for the page (first and last kept), with their steps. */
export function thinSeries(y: readonly number[], max = 2000): { x: number[]; y: number[] } {
  const stride = y.length <= max ? 1 : Math.ceil(y.length / (max - 1));
  const x = keptSteps(y.length, stride);
  return { x, y: x.map((i) => y[i]) };
}

/** True when a series changes (a constant weight or learning rate needs no figure of its own). */
function varies(y: readonly number[]): boolean {
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return true;
  return false;
}

/** Add the training-method figures of `t` to the report's current section. */
export function addTraceFigures(rep: Report, t: SolverTrace): void {
  const weights = Object.entries(t.weights).filter(([, v]) => v.length > 0);
  if (weights.some(([, v]) => varies(v))) {
    const series: LineSeries[] = weights.map(([k, v]) => ({ name: k, ...thinSeries(v) }));
    rep.figure(
      lineFigure(series, { title: 'loss weights per term', yScale: 'log', xLabel: 'Adam step', yLabel: 'weight' }),
      'Weight of each loss term per Adam step (log axis).',
    );
  }
  if (t.causal && t.causal.minWeight.length) {
    rep.figure(
      lineFigure([{ name: 'min causal weight', ...thinSeries(t.causal.minWeight) }], {
        title: 'causal minimum weight',
        xLabel: 'Adam step',
        yLabel: 'min w',
      }),
      'Smallest causal weight over the time chunks per Adam step: near 1, every time chunk trains; near 0, the late times are still waiting for the early ones.',
    );
    rep.figure(
      lineFigure([{ name: 'epsilon', ...thinSeries(t.causal.epsilon) }], {
        title: 'causality parameter epsilon',
        yScale: 'log',
        xLabel: 'Adam step',
        yLabel: 'epsilon',
      }),
      'Causality parameter per Adam step: it steps up each time the minimum weight passes the threshold.',
    );
  }
  if (t.learningRate.length && varies(t.learningRate)) {
    rep.figure(
      lineFigure([{ name: 'learning rate', ...thinSeries(t.learningRate) }], {
        title: 'learning rate',
        yScale: 'log',
        xLabel: 'step',
        yLabel: 'lr',
      }),
      'Learning rate per step (warm-up, decay; L-BFGS records its first trial step, 1).',
    );
  }
  if (t.sampling.length) addSampling(rep, t);
}

/** Scatter of the final residual points over the first two inputs (at most `max` of them, evenly picked). */
export function addPointsFigure(
  rep: Report,
  p: NonNullable<SolverTrace['finalPoints']>,
  inputs: readonly string[],
  marched: boolean,
  max = 5000,
): void {
  if (p.d < 2 || p.n === 0) return;
  const stride = Math.ceil(p.n / max);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < p.n; i += stride) [x[x.length], y[y.length]] = [p.data[i * p.d], p.data[i * p.d + 1]];
  rep.figure(
    scatterFigure(x, y, {
      title: 'residual points at the end of training',
      xLabel: inputs[0],
      yLabel: inputs[1],
      size: 3,
    }),
    `The ${p.n} residual points of the last step${marched ? ' (the last time window)' : ''}${stride > 1 ? `, every ${stride}th drawn` : ''}: refinement and RAD crowd them where the residual was large.`,
  );
}

/** Residual point count after each change, one marker series per method. */
function addSampling(rep: Report, t: SolverTrace): void {
  const methods = [...new Set(t.sampling.map((e) => e.method))];
  const series: LineSeries[] = methods.map((m) => {
    const ev = t.sampling.filter((e) => e.method === m);
    const keep = thinSeries(ev.map((e) => e.points)).x; // indices into ev
    return { name: m, x: keep.map((i) => ev[i].step), y: keep.map((i) => ev[i].points), mode: 'markers' };
  });
  const what = methods
    .map((m) => (m === 'rar' ? 'rar: points added where the residual is largest' : `${m}: the residual set replaced`))
    .join('; ');
  rep.figure(
    lineFigure(series, { title: 'residual points changed', xLabel: 'step', yLabel: 'residual points' }),
    `After which step the residual points changed, and how many there were then (${t.sampling.length} changes; ${what}).`,
  );
}

/** A time-marching run's errors per window: a table and a curve of the relative L2 error per window. */
export function addWindowErrors(rep: Report, windows: readonly WindowErrors[], outputs: readonly string[]): void {
  if (!windows.length) return;
  rep.table(
    {
      columns: ['window', 't0', 't1', 'grid points', ...outputs.flatMap((o) => [`${o} rel L2`, `${o} max`])],
      rows: windows.map((w, k) => [
        k,
        w.t0,
        w.t1,
        w.points,
        ...outputs.flatMap((o) => [w.errors[o].relL2, w.errors[o].maxAbs]),
      ]),
    },
    'Errors of each time window on the report grid (each window scored with its own network).',
  );
  const mid = windows.map((w) => (w.t0 + w.t1) / 2);
  const series: LineSeries[] = outputs.map((o) => ({
    name: `${o} rel L2`,
    x: mid,
    y: windows.map((w) => w.errors[o].relL2),
    mode: 'lines+markers',
  }));
  rep.figure(
    lineFigure(series, {
      title: 'error per time window',
      yScale: 'log',
      xLabel: 'window mid-time',
      yLabel: 'relative L2',
    }),
    'Relative L2 error per time window: errors that grow window by window are carried forward in time.',
  );
}

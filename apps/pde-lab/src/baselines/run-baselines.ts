/**
 * Classical baselines of an experiment, compared with the network and the reference on the
 * report's slices: curves for the slice plots, a table, and metrics.
 */
import type { TableData } from '@aml/plot';
import { column, componentErrors } from '../eval/errors';
import type { Baseline } from '../catalog/schema';
import type { BaselineCurve } from '../report/pde-report';
import type { SolutionView } from '../report/solution';
import { solveFtcs } from './ftcs';
import { solvePoisson1d } from './poisson1d';

/** Curves, table and metrics of the baselines (all empty without baselines). */
export interface BaselineResults {
  readonly curves: BaselineCurve[];
  readonly table?: TableData;
  readonly metrics?: Record<string, unknown>;
}

/** Points (x_i, t) for an FTCS grid at one time, in the solution's input order (other inputs mid-range). */
function pointsAt(s: SolutionView, space: number, time: number, x: Float64Array, t: number): Float64Array {
  const d = s.inputs.length;
  const pts = new Float64Array(x.length * d);
  for (let i = 0; i < x.length; i++) {
    for (let a = 0; a < d; a++) pts[i * d + a] = (s.box.lo[a] + s.box.hi[a]) / 2;
    pts[i * d + space] = x[i];
    pts[i * d + time] = t;
  }
  return pts;
}

/** Run every baseline and score it and the network against the reference on the baseline's own points. */
export function runBaselines(
  baselines: readonly Baseline[],
  s: SolutionView,
  slices?: { axis: string; at: readonly number[] },
): BaselineResults {
  if (baselines.length === 0) return { curves: [] };
  const curves: BaselineCurve[] = [];
  const rows: (string | number)[][] = [];
  const metrics: Record<string, unknown> = {};
  const m = s.outputs.length;
  /** Score baseline values against the reference at points; one table row and its metrics. */
  const score = (
    label: string,
    where: string | number,
    values: Float64Array,
    pts: Float64Array,
  ): Record<string, unknown> => {
    const net = column(s.predict(pts), m, 0);
    if (!s.reference) return {};
    const exact = column(s.reference(pts), m, 0);
    const eb = componentErrors(values, exact);
    const en = componentErrors(net, exact);
    rows.push([label, where, eb.maxAbs, eb.relL2, en.maxAbs, en.relL2]);
    return { scheme: { maxAbs: eb.maxAbs, relL2: eb.relL2 }, network: { maxAbs: en.maxAbs, relL2: en.relL2 } };
  };
  for (const b of baselines) {
    if (b.type === 'poisson1d') {
      const res = solvePoisson1d(b, s.box.lo[0], s.box.hi[0]);
      const label = `FD n=${b.n}`;
      curves.push({ output: s.outputs[0], name: label, x: res.x, y: res.u });
      metrics[label] = {
        n: b.n,
        h: res.x[1] - res.x[0],
        ...score(label, `${s.inputs[0]} in [${s.box.lo[0]}, ${s.box.hi[0]}]`, res.u, res.x),
      };
      continue;
    }
    if (!slices)
      throw new Error(
        'ftcs baselines need report.slices (the times where they are compared), e.g. { "axis": "t", "at": [0.05, 0.5] }',
      );
    const space = s.inputs.indexOf(b.space);
    const time = s.inputs.indexOf(b.time);
    if (space < 0 || time < 0)
      throw new Error(
        `ftcs baseline: inputs '${b.space}' and '${b.time}' must both be inputs of the problem (${s.inputs.join(', ')})`,
      );
    if (slices.axis !== b.time)
      throw new Error(`ftcs baseline: report.slices.axis must be the time input '${b.time}', got '${slices.axis}'`);
    const res = solveFtcs(b, s.box.lo[space], s.box.hi[space], slices.at);
    const label = `FTCS dx=${b.dx}`;
    const entry: Record<string, unknown> = { dx: b.dx, dt: res.dt, r: b.r };
    res.snapshots.forEach((snap, k) => {
      const at = slices.at[k];
      curves.push({ at, output: s.outputs[0], name: label, x: res.x, y: snap.u });
      const e = score(
        label,
        `${b.time} = ${snap.t.toPrecision(6).replace(/\.?0+$/, '')}`,
        snap.u,
        pointsAt(s, space, time, res.x, snap.t),
      );
      entry[`t=${at}`] = { t: snap.t, ...(e.scheme ? { ftcs: e.scheme, network: e.network } : {}) };
    });
    metrics[label] = entry;
  }
  const table: TableData = {
    columns: [
      'scheme',
      'where',
      'scheme max |err|',
      'scheme rel L2',
      'network max |err| (same points)',
      'network rel L2 (same points)',
    ],
    rows,
  };
  return { curves, table: rows.length ? table : undefined, metrics };
}

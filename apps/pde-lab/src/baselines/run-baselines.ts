/**
 * Classical baselines of an experiment, compared with the network and the reference on the
 * report's slices: curves for the slice plots, a table, and metrics.
 */
import type { TableData } from '@aml/plot';
import { column, componentErrors } from '../eval/errors';
import type { Baseline } from '../experiments/schema';
import type { BaselineCurve } from '../report/pde-report';
import type { SolutionView } from '../report/solution';
import { solveFtcs } from './ftcs';

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

/** Run every baseline at the slice values and score it and the network against the reference. */
export function runBaselines(baselines: readonly Baseline[], s: SolutionView, slices?: { axis: string; at: readonly number[] }): BaselineResults {
  if (baselines.length === 0) return { curves: [] };
  if (!slices) throw new Error('baselines need report.slices (the times where they are compared), e.g. { "axis": "t", "at": [0.05, 0.5] }');
  const curves: BaselineCurve[] = [];
  const rows: (string | number)[][] = [];
  const metrics: Record<string, unknown> = {};
  const m = s.outputs.length;
  for (const b of baselines) {
    const space = s.inputs.indexOf(b.space);
    const time = s.inputs.indexOf(b.time);
    if (space < 0 || time < 0) throw new Error(`ftcs baseline: inputs '${b.space}' and '${b.time}' must both be inputs of the problem (${s.inputs.join(', ')})`);
    if (slices.axis !== b.time) throw new Error(`ftcs baseline: report.slices.axis must be the time input '${b.time}', got '${slices.axis}'`);
    const res = solveFtcs(b, s.box.lo[space], s.box.hi[space], slices.at);
    const label = `FTCS dx=${b.dx}`;
    const entry: Record<string, unknown> = { dx: b.dx, dt: res.dt, r: b.r };
    res.snapshots.forEach((snap, k) => {
      const at = slices.at[k];
      curves.push({ at, output: s.outputs[0], name: label, x: res.x, y: snap.u });
      const pts = pointsAt(s, space, time, res.x, snap.t);
      const net = column(s.predict(pts), m, 0);
      const row: Record<string, unknown> = { t: snap.t };
      if (s.reference) {
        const exact = column(s.reference(pts), m, 0);
        const ef = componentErrors(snap.u, exact);
        const en = componentErrors(net, exact);
        row.ftcs = { maxAbs: ef.maxAbs, relL2: ef.relL2 };
        row.network = { maxAbs: en.maxAbs, relL2: en.relL2 };
        rows.push([label, snap.t, ef.maxAbs, ef.relL2, en.maxAbs, en.relL2]);
      }
      entry[`t=${at}`] = row;
    });
    metrics[label] = entry;
  }
  const table: TableData = {
    columns: ['scheme', 't', 'FTCS max |err|', 'FTCS rel L2', 'network max |err| (same points)', 'network rel L2 (same points)'],
    rows,
  };
  return { curves, table: rows.length ? table : undefined, metrics };
}

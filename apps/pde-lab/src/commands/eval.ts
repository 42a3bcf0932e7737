/**
 * `pde-lab eval <results-dir> --reference <file> [--keys x=x,t=t,u=usol]`: score a trained model against a
 * reference grid file (CSV or NPY columns named after the problem's inputs and outputs, or a .npz / .mat /
 * HDF5 file with axis vectors and a solution array, read by @aml/pinn's readReferenceGrid): relative L2 and
 * max error per output. The results folder is only read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend, type BackendChoice } from '@aml/core';
import type { ProblemAdapter } from '../adapter/contract';
import { MODEL_DIR, modelDirOf } from '../adapter/weights';
import { ConfigError, loadExperiment } from '../catalog/catalog';
import { column, componentErrors, type ComponentErrors } from '../eval/errors';
import { gridPoints, matchColumns, readReferenceGrid } from '@aml/pinn';

/** Options of `evalResults`. */
export interface EvalOptions {
  /** A results folder written by `pde-lab run`. */
  readonly dir: string;
  /** Reference grid: .csv with a header, 2-D .npy, or .npz / .mat / .h5 with named arrays. */
  readonly reference: string;
  /** Column names of a .npy file, in order (default: inputs then outputs). */
  readonly columns?: readonly string[];
  /** Problem name -> array name in a .npz / .mat / .h5 file (default: the same name), e.g. { u: 'usol' }. */
  readonly keys?: Readonly<Record<string, string>>;
  /** Backend (default 'auto'). */
  readonly backend?: BackendChoice;
  /** Where the backend line goes (default stderr). */
  readonly log?: (line: string) => void;
}

/** Errors per output present in the file, and the number of points. */
export interface EvalResult {
  readonly reference: string;
  readonly points: number;
  readonly errors: Readonly<Record<string, ComponentErrors>>;
}

/** Load the trained model of `dir` and score it on the reference grid. */
export async function evalResults(o: EvalOptions, adapter: ProblemAdapter): Promise<EvalResult> {
  const config = path.join(o.dir, 'config.json');
  if (!fs.existsSync(config))
    throw new ConfigError(
      `${o.dir} is not a results folder (no config.json); give a folder written by pde-lab run, e.g. results/heat`,
    );
  const ckpt = modelDirOf(o.dir);
  if (!ckpt)
    throw new ConfigError(
      `${o.dir} has no trained model (no ${MODEL_DIR}/: the run did not finish); finish it with pde-lab run --resume, or run it again`,
    );
  const exp = loadExperiment(config).experiment;
  // config.json holds the resolved problem (seed, steps, observations): the same network shape as trained.
  const parsed = adapter.parse(exp.problem, `${config}: problem`);
  const grid = await readReferenceGrid(o.reference, {
    inputs: parsed.inputs,
    outputs: parsed.outputs,
    columns: o.columns,
    keys: o.keys,
  });
  const present = matchColumns(grid, parsed.inputs, parsed.outputs);
  await initBackend({ backend: o.backend ?? 'auto', log: o.log });
  const built = adapter.build(parsed);
  try {
    built.loadCheckpoint(ckpt);
    const pred = built.solution().predict(gridPoints(grid, parsed.inputs));
    const m = parsed.outputs.length;
    const errors: Record<string, ComponentErrors> = {};
    for (const name of present)
      errors[name] = componentErrors(column(pred, m, parsed.outputs.indexOf(name)), grid.columns[name]);
    return { reference: o.reference, points: grid.n, errors };
  } finally {
    built.dispose();
  }
}

/** A plain-text table of an eval result. */
export function formatEval(r: EvalResult): string {
  const lines = [`reference ${r.reference} (${r.points} points)`, 'output  rel L2      max |err|   mean |err|  RMSE'];
  for (const [k, e] of Object.entries(r.errors)) {
    lines.push(
      `${k.padEnd(7)} ${[e.relL2, e.maxAbs, e.meanAbs].map((v) => v.toExponential(3).padEnd(11)).join(' ')} ${e.rmse.toExponential(3)}`,
    );
  }
  return lines.join('\n');
}

/**
 * Parse `--keys x=x,t=tt,u=usol` into { x: 'x', t: 'tt', u: 'usol' } (problem name = name in the file).
 * @example parseKeys('u=usol') // { u: 'usol' }
 */
export function parseKeys(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const m = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(part);
    if (!m)
      throw new ConfigError(`--keys: '${part}' is not name=name; give problem=file pairs, e.g. --keys x=x,t=t,u=usol`);
    if (m[1] in out) throw new ConfigError(`--keys: '${m[1]}' is mapped twice; map each name once`);
    out[m[1]] = m[2];
  }
  if (Object.keys(out).length === 0) throw new ConfigError('--keys: no pairs given; e.g. --keys x=x,t=t,u=usol');
  return out;
}

/**
 * `pde-lab eval <results-dir> --reference <file>`: score a trained model against a reference grid
 * file whose columns are named after the problem's inputs and outputs (relative L2 and max error
 * per output). The results folder is only read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend, type BackendChoice } from '@aml/core';
import type { ProblemAdapter } from '../adapter/contract';
import { ConfigError, loadExperiment } from '../experiments/catalog';
import { column, componentErrors, type ComponentErrors } from '../eval/errors';
import { gridPoints, matchColumns, readReferenceGrid } from '../eval/reference-grid';

/** Options of `evalResults`. */
export interface EvalOptions {
  /** A results folder written by `pde-lab run`. */
  readonly dir: string;
  /** Reference grid: .csv with a header, or 2-D .npy. */
  readonly reference: string;
  /** Column names of a .npy file, in order (default: inputs then outputs). */
  readonly columns?: readonly string[];
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
  if (!fs.existsSync(config)) throw new ConfigError(`${o.dir} is not a results folder (no config.json); give a folder written by pde-lab run, e.g. results/heat`);
  const ckpt = path.join(o.dir, 'checkpoint');
  if (!fs.existsSync(ckpt)) throw new ConfigError(`${o.dir} has no checkpoint/ (the run did not finish); run it again with pde-lab run`);
  const exp = loadExperiment(config).experiment;
  // config.json holds the resolved problem (seed, steps, observations): the same network shape as trained.
  const parsed = adapter.parse(exp.problem, `${config}: problem`);
  const grid = readReferenceGrid(o.reference, o.columns ?? [...parsed.inputs, ...parsed.outputs]);
  const present = matchColumns(grid, parsed.inputs, parsed.outputs);
  await initBackend({ backend: o.backend ?? 'auto', log: o.log });
  const built = adapter.build(parsed);
  try {
    built.loadCheckpoint(ckpt);
    const pred = built.solution().predict(gridPoints(grid, parsed.inputs));
    const m = parsed.outputs.length;
    const errors: Record<string, ComponentErrors> = {};
    for (const name of present) errors[name] = componentErrors(column(pred, m, parsed.outputs.indexOf(name)), grid.columns[name]);
    return { reference: o.reference, points: grid.n, errors };
  } finally {
    built.dispose();
  }
}

/** A plain-text table of an eval result. */
export function formatEval(r: EvalResult): string {
  const lines = [`reference ${r.reference} (${r.points} points)`, 'output  rel L2      max |err|   mean |err|  RMSE'];
  for (const [k, e] of Object.entries(r.errors)) {
    lines.push(`${k.padEnd(7)} ${[e.relL2, e.maxAbs, e.meanAbs].map((v) => v.toExponential(3).padEnd(11)).join(' ')} ${e.rmse.toExponential(3)}`);
  }
  return lines.join('\n');
}

/**
 * Expansion of a sweep into one config per run: the Cartesian product of the parameter values,
 * times the seeds (innermost), each written into a copy of the base config.
 */
import { runId } from './id';
import { setPath, type Json, type JsonObject } from './paths';
import type { SweepSpec } from './spec';

/** One run of a sweep. */
export interface RunSpec {
  /** Stable id (hash of the varied values and the seed); the run's folder name. */
  readonly id: string;
  /** Position in the expansion order (0-based). */
  readonly index: number;
  /** The varied values, by parameter path. */
  readonly values: Readonly<Record<string, Json>>;
  /** The seed written at the sweep's seed path. */
  readonly seed: number;
  /** The full config the run reads. */
  readonly config: JsonObject;
}

/**
 * Expand `spec` into runs. With parameters p1 (a values) and p2 (b values) and s seeds this gives
 * a*b*s runs, ordered p1 slowest, seeds fastest.
 */
export function expandSweep(spec: SweepSpec): RunSpec[] {
  let combos: Record<string, Json>[] = [{}];
  for (const { path, values } of spec.parameters) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
  }
  const runs: RunSpec[] = [];
  for (const values of combos) {
    for (const seed of spec.seeds) {
      let config = spec.base;
      for (const [path, v] of Object.entries(values)) config = setPath(config, path, v);
      config = setPath(config, spec.seedPath, seed);
      runs.push({ id: runId(values, seed), index: runs.length, values, seed, config });
    }
  }
  return runs;
}

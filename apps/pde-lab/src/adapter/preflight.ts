/**
 * Checks of a parsed problem that the solver would otherwise only make at training time, after the
 * results folder exists: option ranges (named as in the config file, `training.adam.lr`), the
 * checkpoint settings, and whether the point counts fit in memory.
 */
import * as os from 'node:os';
import type { ProblemConfig } from '@aml/pinn';
import { ConfigError } from '../catalog/catalog';

/** Default checkpoint interval in steps (a checkpoint is also written at least every DEFAULT_CHECKPOINT_SECONDS). */
export const DEFAULT_CHECKPOINT_EVERY = 1000;
/** Default longest wall time between checkpoints, seconds. */
export const DEFAULT_CHECKPOINT_SECONDS = 60;

/** Bytes the training of one point takes per hidden unit and derivative block (values, tape, gradients, temporaries). */
const BYTES_PER_UNIT = 16;
/** Largest memory a run may plan for: tfjs's WASM heap is at most 2 GiB; a machine with less RAM gets half of it. */
export function memoryLimitBytes(): number {
  return Math.min(2 ** 31, os.totalmem() / 2);
}

/** Human size, e.g. '1.5 GB'. */
export function formatBytes(b: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) [b, i] = [b / 1024, i + 1];
  return `${b.toPrecision(3)} ${units[i]}`;
}

/** What the estimate needs of a problem. */
export interface MemoryInputs {
  /** Input dimension d. */
  readonly inputs: number;
  /** Hidden widths. */
  readonly layers: readonly number[];
  /** Points of each kind, with the config field that sets it. */
  readonly counts: readonly { readonly field: string; readonly points: number }[];
}

/**
 * Estimated bytes to train on these points: points x sum(widths) x derivative blocks (value, d first,
 * d(d+1)/2 second derivatives) x 16 bytes: a rough guess (not fitted to a measured peak),
 * meant to refuse counts that cannot fit, not to predict memory use.
 */
export function estimateTrainingBytes(m: MemoryInputs): number {
  const blocks = 1 + m.inputs + (m.inputs * (m.inputs + 1)) / 2;
  const units = m.layers.reduce((a, b) => a + b, 0) + 1;
  const points = m.counts.reduce((a, c) => a + c.points, 0);
  return points * units * blocks * BYTES_PER_UNIT;
}

/** Points of each kind a config trains on (interior, per boundary and initial condition, refinement growth). */
export function pointCounts(c: ProblemConfig): { field: string; points: number }[] {
  const t = c.training;
  const pts = typeof t.points === 'number' ? { domain: t.points } : t.points;
  const field = typeof t.points === 'number' ? 'training.points' : 'training.points.domain';
  const out = [{ field, points: pts.domain ?? 2000 }];
  const nb = c.conditions.filter((k) => k.type !== 'initial' && k.type !== 'observations').length;
  const ni = c.conditions.filter((k) => k.type === 'initial').length;
  if (nb > 0) out.push({ field: 'training.points.boundary', points: nb * (pts.boundary ?? 200) });
  if (ni > 0) out.push({ field: 'training.points.initial', points: ni * (pts.initial ?? 200) });
  const r = t.refinement;
  if (r) {
    const grown = r.add * Math.floor(t.adam.steps / r.every);
    out.push({
      field: 'training.refinement.add',
      points: r.maxPoints !== undefined ? Math.min(grown, Math.max(0, r.maxPoints - out[0].points)) : grown,
    });
  }
  return out;
}

/** Throw when the points cannot fit, naming the largest count's field and the estimate. */
export function checkMemory(m: MemoryInputs, where: string, limit = memoryLimitBytes()): void {
  const bytes = estimateTrainingBytes(m);
  if (bytes <= limit) return;
  const biggest = [...m.counts].sort((a, b) => b.points - a.points)[0];
  throw new ConfigError(
    `${where}.${biggest.field}: ${biggest.points} points (${m.counts.reduce((a, c) => a + c.points, 0)} in all) need about ${formatBytes(bytes)} ` +
      `to train this network, more than the ${formatBytes(limit)} available; lower the point counts (or the network width)`,
  );
}

/** Option ranges the schema leaves to the solver, named as in the config; returns the checkpoint settings. */
export function checkTraining(c: ProblemConfig, where: string): { every: number; everySeconds: number } {
  const t = c.training;
  const bad = (field: string, why: string) => new ConfigError(`${where}.training.${field}: ${why}`);
  const d = t.adam.decay as { rate?: number; every?: number } | undefined;
  if (d && d.rate !== undefined && !(d.rate > 0 && d.rate <= 1))
    throw bad('adam.decay.rate', `must be in (0, 1], got ${d.rate}; e.g. 0.9`);
  const ck = (t as { checkpoint?: { every?: number; seconds?: number } }).checkpoint;
  return { every: ck?.every ?? DEFAULT_CHECKPOINT_EVERY, everySeconds: ck?.seconds ?? DEFAULT_CHECKPOINT_SECONDS };
}

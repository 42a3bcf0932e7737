/**
 * Stable run ids: the same varied values and seed give the same id on every machine and every
 * invocation, so a re-run finds its earlier results.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type Json } from './paths';

/** Length of a run id in hex characters (48 bits: collisions are negligible for sweeps of any size). */
export const RUN_ID_LENGTH = 12;

/**
 * The id of the run with these varied values and this seed: the first 12 hex characters of the
 * SHA-256 of their canonical JSON (object keys sorted, so the order of `--set` flags does not matter).
 * @example runId({ 'training.points': 2000 }, 0) // e.g. '3f1c0a9b27d4'
 */
export function runId(values: Readonly<Record<string, Json>>, seed: number): string {
  const text = canonicalJson({ values: { ...values }, seed });
  return createHash('sha256').update(text).digest('hex').slice(0, RUN_ID_LENGTH);
}

/**
 * The NaN/Inf guard: keeps the weights of the last step whose loss was finite, and finds which
 * loss term went bad. A snapshot per step is one tf.clone per variable: a memcpy of the weights
 * on wasm (about 30 KB for the 2-50x4-1 MLP), negligible next to the step itself.
 */
import { tf } from '../tf';
import type { StepResult } from './types';

/** Holds the last known-good weights of a list of variables. */
export class WeightGuard {
  private good: tf.Tensor[] | null = null;
  private pending: tf.Tensor[] | null = null;
  /** Global step whose (pre-update) weights `good` holds, -1 for none. */
  goodStep = -1;

  constructor(private readonly vars: readonly tf.Variable[]) {}

  /** Before step `step`: remember the current weights. */
  before(): void {
    tf.dispose(this.pending ?? []);
    this.pending = this.vars.map((v) => tf.clone(v));
  }

  /** After a step with a finite loss: the weights it was evaluated at are good. */
  commit(step: number): void {
    tf.dispose(this.good ?? []);
    this.good = this.pending;
    this.pending = null;
    this.goodStep = step;
  }

  /** Put the last good weights back; false when there are none (the very first step failed). */
  restore(): boolean {
    const src = this.good ?? this.pending;
    if (!src) return false;
    this.vars.forEach((v, i) => v.assign(src[i]));
    return this.good !== null;
  }

  dispose(): void {
    tf.dispose([...(this.good ?? []), ...(this.pending ?? [])]);
    this.good = this.pending = null;
  }
}

/** The first non-finite value of a step: the total loss or a named term; null when all are finite. */
export function findNonFinite(r: StepResult): { what: string; value: number } | null {
  for (const [k, v] of Object.entries(r.terms ?? {})) if (!Number.isFinite(v)) return { what: `term '${k}'`, value: v };
  if (!Number.isFinite(r.loss)) return { what: 'loss', value: r.loss };
  return null;
}

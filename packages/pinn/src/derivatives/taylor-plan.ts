/** Planning the derivative blocks the Taylor engine propagates. */
import type { DerivativeIndex } from './engine';

/** Which blocks the stacked propagation carries for a request list. */
export interface TaylorPlan {
  /** Input directions whose first derivatives are propagated. */
  readonly first: readonly number[];
  /** Requested second-derivative pairs (i <= j). */
  readonly second: readonly (readonly [number, number])[];
  /** For each request, its block index in the stack (0 = value). */
  readonly block: readonly number[];
}

/** Plan the blocks: every index that appears in a request gets a first-derivative block. */
export function planTaylor(requests: readonly DerivativeIndex[]): TaylorPlan {
  const first = [...new Set(requests.flatMap((r) => [...r]))].sort((a, b) => a - b);
  const second: [number, number][] = [];
  for (const r of requests) {
    if (r.length === 2 && !second.some(([i, j]) => i === r[0] && j === r[1])) second.push([r[0], r[1]]);
  }
  const block = requests.map((r) => {
    if (r.length === 0) return 0;
    if (r.length === 1) return 1 + first.indexOf(r[0]);
    return 1 + first.length + second.findIndex(([i, j]) => i === r[0] && j === r[1]);
  });
  return { first, second, block };
}

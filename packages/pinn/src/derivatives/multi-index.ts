/**
 * Multi-index bookkeeping for Taylor-mode (jet) derivatives up to fourth order: which
 * derivative components a request list needs, and the terms of Faà di Bruno's formula
 * (composition with an elementwise function) and of Leibniz's rule (products).
 *
 * A multi-index is a sorted list of input indices: [0, 0, 1] = d3/dx0^2 dx1. Both formulas
 * are sums over the POSITIONS of the index (set partitions, subsets), so repeated inputs
 * are counted with their multiplicity; equal terms are merged with a count.
 */
import { derivativeKey, type DerivativeIndex } from './engine';

/** Every sub-multiset of the requests (the components a jet must carry), value first, by order. */
export function closeRequests(requests: readonly DerivativeIndex[]): DerivativeIndex[] {
  const seen = new Map<string, DerivativeIndex>([['', []]]);
  for (const r of requests) {
    const k = r.length;
    for (let mask = 1; mask < 1 << k; mask++) {
      const sub = r.filter((_, p) => (mask >> p) & 1);
      seen.set(derivativeKey(sub), sub);
    }
  }
  return [...seen.values()].sort((a, b) => a.length - b.length || derivativeKey(a).localeCompare(derivativeKey(b)));
}

const partitionCache = new Map<number, number[][][]>();

/** All set partitions of positions 0..k-1 (Bell numbers: 1, 1, 2, 5, 15 for k = 0..4). */
export function setPartitions(k: number): number[][][] {
  const cached = partitionCache.get(k);
  if (cached) return cached;
  let parts: number[][][] = [[]];
  for (let p = 0; p < k; p++) {
    const next: number[][][] = [];
    for (const part of parts) {
      part.forEach((_, b) => next.push(part.map((block, c) => (c === b ? [...block, p] : block))));
      next.push([...part, [p]]);
    }
    parts = next;
  }
  partitionCache.set(k, parts);
  return parts;
}

/** One Faà di Bruno term: count * f^(order)(g) * prod_i g_{factors[i]}. */
export interface FaaTerm {
  readonly order: number;
  readonly factors: readonly DerivativeIndex[];
  readonly count: number;
}

/** (f o g)_K = sum over set partitions pi of K's positions of f^(|pi|)(g) prod_{B in pi} g_{K[B]}. */
export function faaTerms(index: DerivativeIndex): FaaTerm[] {
  const merged = new Map<string, FaaTerm>();
  for (const part of setPartitions(index.length)) {
    const factors = part
      .map((block) => block.map((p) => index[p]))
      .sort((a, b) => derivativeKey(a).localeCompare(derivativeKey(b)));
    const key = factors.map(derivativeKey).join('|');
    const t = merged.get(key);
    merged.set(key, { order: part.length, factors, count: (t?.count ?? 0) + 1 });
  }
  return [...merged.values()];
}

/** One Leibniz term: count * a_left * b_right. */
export interface LeibnizTerm {
  readonly left: DerivativeIndex;
  readonly right: DerivativeIndex;
  readonly count: number;
}

/** (a b)_K = sum over subsets S of K's positions of a_{K[S]} b_{K[not S]}. */
export function leibnizTerms(index: DerivativeIndex): LeibnizTerm[] {
  const k = index.length;
  const merged = new Map<string, LeibnizTerm>();
  for (let mask = 0; mask < 1 << k; mask++) {
    const left = index.filter((_, p) => (mask >> p) & 1);
    const right = index.filter((_, p) => !((mask >> p) & 1));
    const key = `${derivativeKey(left)}|${derivativeKey(right)}`;
    const t = merged.get(key);
    merged.set(key, { left, right, count: (t?.count ?? 0) + 1 });
  }
  return [...merged.values()];
}

/**
 * The fused kernel's call plan: which channels the Taylor stack carries, and the i32 slot
 * layout the AssemblyScript kernel reads (mirror of packages/pinn/assembly/plan.ts).
 */
import type { DerivativeIndex } from '../derivatives/engine';

/** Plan slots (i32 index); must match assembly/plan.ts. */
export const PL = {
  D: 0,
  M: 1,
  NL: 2,
  ACT: 3,
  C: 4,
  NF: 5,
  NP: 6,
  P: 7,
  N: 8,
  NB: 9,
  TAPE: 10,
  X: 11,
  XBAR: 12,
  MAXW: 13,
  NT: 14,
  WIDTHS: 16,
  DIRS: 64,
  PAIRS: 68,
  W: 96,
  WT: 144,
  B: 192,
  TAPEOFF: 240,
  OUT: 288,
  DY: 304,
  GW: 320,
  GB: 368,
  PAIROFF: 416,
  GV: 448,
  IN: 496,
  INBAR: 512,
  ACTS: 528,
  TRIPOFF: 576,
  SIZE: 592,
} as const;

/** Activations the kernel implements, by id (assembly/activations.ts). */
export const FUSED_ACTIVATIONS = { identity: 0, tanh: 1, sin: 2, sigmoid: 3, softplus: 4, silu: 5 } as const;
export type FusedActivation = keyof typeof FUSED_ACTIVATIONS;

/** Limits of the kernel; anything else takes the tfjs-ops path. */
export const FUSED_LIMITS = { maxInputs: 4, maxOutputs: 4, maxLayers: 47, maxChannels: 16, maxTriples: 4 } as const;

/** The channels of the Taylor stack for a request list. */
export interface ChannelPlan {
  /** Input directions with a first-derivative channel (sorted). Channel 1 + i. */
  readonly first: readonly number[];
  /** Second-derivative pairs as positions in `first` (a <= b). Channel 1 + first.length + q. */
  readonly pairs: readonly (readonly [number, number])[];
  /**
   * Pure third derivatives (i, i, i): the position of i in `first` and the index of the pair (i, i) in
   * `pairs`. Channel 1 + first.length + pairs.length + t. Absent: none.
   */
  readonly triples?: readonly (readonly [number, number])[];
  /** Channel of each request, in request order. */
  readonly channelOf: readonly number[];
  /** Total channels C = 1 + first + pairs + triples. */
  readonly channels: number;
}

/**
 * Plan the channels: value, every input index that appears in a request (second
 * derivatives need both first derivatives), then each distinct requested pair (and the
 * pair (i, i) of a third derivative (i, i, i)), then each distinct (i, i, i).
 * Throws on a mixed third derivative or a fourth: the kernel does not compute them.
 */
export function planChannels(requests: readonly DerivativeIndex[]): ChannelPlan {
  for (const r of requests) {
    if (r.length > 3 || (r.length === 3 && (r[0] !== r[1] || r[1] !== r[2])))
      throw new Error(
        `fused kernel: derivative [${r.join(', ')}] is not in its channels (up to second order, and pure third derivatives [i, i, i])`,
      );
  }
  const first = [...new Set(requests.flatMap((r) => [...r]))].sort((a, b) => a - b);
  const pairsIn: [number, number][] = [];
  const addPair = (i: number, j: number) => {
    if (!pairsIn.some(([a, b]) => a === i && b === j)) pairsIn.push([i, j]);
  };
  for (const r of requests) if (r.length === 2) addPair(r[0], r[1]);
  const triplesIn = [...new Set(requests.filter((r) => r.length === 3).map((r) => r[0]))];
  for (const i of triplesIn) addPair(i, i);
  const pairIndex = (i: number, j: number) => pairsIn.findIndex(([a, b]) => a === i && b === j);
  const channelOf = requests.map((r) => {
    if (r.length === 0) return 0;
    if (r.length === 1) return 1 + first.indexOf(r[0]);
    if (r.length === 2) return 1 + first.length + pairIndex(r[0], r[1]);
    return 1 + first.length + pairsIn.length + triplesIn.indexOf(r[0]);
  });
  const pairs = pairsIn.map(([i, j]) => [first.indexOf(i), first.indexOf(j)] as const);
  const triples = triplesIn.map((i) => [first.indexOf(i), pairIndex(i, i)] as const);
  return { first, pairs, triples, channelOf, channels: 1 + first.length + pairs.length + triples.length };
}

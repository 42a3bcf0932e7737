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
  SIZE: 576,
} as const;

/** Activations the kernel implements, by id (assembly/activations.ts). */
export const FUSED_ACTIVATIONS = { identity: 0, tanh: 1, sin: 2, sigmoid: 3, softplus: 4, silu: 5 } as const;
export type FusedActivation = keyof typeof FUSED_ACTIVATIONS;

/** Limits of the kernel; anything else takes the tfjs-ops path. */
export const FUSED_LIMITS = { maxInputs: 4, maxOutputs: 4, maxLayers: 47 } as const;

/** The channels of the Taylor stack for a request list. */
export interface ChannelPlan {
  /** Input directions with a first-derivative channel (sorted). Channel 1 + i. */
  readonly first: readonly number[];
  /** Second-derivative pairs as positions in `first` (a <= b). Channel 1 + first.length + q. */
  readonly pairs: readonly (readonly [number, number])[];
  /** Channel of each request, in request order. */
  readonly channelOf: readonly number[];
  /** Total channels C = 1 + first + pairs. */
  readonly channels: number;
}

/**
 * Plan the channels: value, every input index that appears in a request (second
 * derivatives need both first derivatives), then each distinct requested pair.
 * Same order as the 'taylor' engine's stack.
 */
export function planChannels(requests: readonly DerivativeIndex[]): ChannelPlan {
  const first = [...new Set(requests.flatMap((r) => [...r]))].sort((a, b) => a - b);
  const pairsIn: [number, number][] = [];
  for (const r of requests) {
    if (r.length === 2 && !pairsIn.some(([i, j]) => i === r[0] && j === r[1])) pairsIn.push([r[0], r[1]]);
  }
  const channelOf = requests.map((r) => {
    if (r.length === 0) return 0;
    if (r.length === 1) return 1 + first.indexOf(r[0]);
    return 1 + first.length + pairsIn.findIndex(([i, j]) => i === r[0] && j === r[1]);
  });
  const pairs = pairsIn.map(([i, j]) => [first.indexOf(i), first.indexOf(j)] as const);
  return { first, pairs, channelOf, channels: 1 + first.length + pairs.length };
}

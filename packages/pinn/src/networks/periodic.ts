/**
 * Exact periodic embedding (Dong & Ni 2021, "A method for representing periodic functions
 * and enforcing exactly periodic boundary conditions with deep neural networks", JCP,
 * arXiv:2007.07442; jaxpi's `PeriodEmbs`): each chosen input x_i with period P_i becomes
 * (cos(2 pi x_i / P_i), sin(2 pi x_i / P_i)) in its place; other inputs pass through. Any
 * network on top is then exactly P-periodic in x_i, with all its derivatives.
 *
 * Periods are in the units the network sees: the solver converts a period given in the
 * problem's coordinates when it scales inputs to [-1, 1].
 */
import type { NetOps } from '@aml/core';

/** One periodic input: column index and period P (> 0). */
export interface PeriodicAxis {
  readonly index: number;
  readonly period: number;
}

/** Width after embedding d inputs with these periodic axes: d + (number of axes). */
export function periodicWidth(d: number, axes: readonly PeriodicAxis[]): number {
  return d + axes.length;
}

/**
 * x (N, d) -> (N, d + |axes|): each periodic column replaced by its cos and sin, in place.
 * @example  period 2 on column 1: [t, x] = [0.3, 0.25] -> [0.3, cos(pi/4), sin(pi/4)]
 */
export function periodicEmbedding<T>(ops: NetOps<T>, x: T, d: number, axes: readonly PeriodicAxis[]): T {
  const parts: T[] = [];
  let run = 0; // start of the current run of pass-through columns
  const flush = (end: number) => {
    if (end > run) parts.push(ops.sliceColumns(x, run, end - run));
  };
  for (let i = 0; i < d; i++) {
    const axis = axes.find((a) => a.index === i);
    if (!axis) continue;
    flush(i);
    const theta = ops.scale(ops.sliceColumns(x, i, 1), (2 * Math.PI) / axis.period);
    parts.push(ops.cos(theta), ops.sin(theta));
    run = i + 1;
  }
  flush(d);
  return ops.concatColumns(parts);
}

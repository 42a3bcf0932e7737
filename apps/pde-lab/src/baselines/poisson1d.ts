/**
 * The course's baseline for the 1D Poisson trial-solution example (the course's experiment 12):
 * -u'' = f on [a, b] with Dirichlet ends by second-order central differences on n interior points,
 * one tridiagonal (Thomas) solve (@aml/pinn's `poisson1d`).
 */
import { poisson1d } from '@aml/pinn';
import type { Poisson1dBaseline } from '../catalog/schema';
import { profile } from './ftcs';

/** Check a Poisson baseline against the problem before training. */
export function checkPoisson1d(b: Poisson1dBaseline, ctx: { readonly inputs: readonly string[] }): void {
  if (ctx.inputs.length !== 1 || ctx.inputs[0] !== b.space) {
    throw new Error(`poisson1d: the problem must have the single input '${b.space}', it has ${ctx.inputs.join(', ')}`);
  }
  profile(b.source, b.space, 'poisson1d.source')(0.5);
}

/** FD solution on the n + 2 grid points of [lo, hi] (ends included). */
export function solvePoisson1d(b: Poisson1dBaseline, lo: number, hi: number): { x: Float64Array; u: Float64Array } {
  return poisson1d(profile(b.source, b.space, 'poisson1d.source'), lo, hi, b.boundary[0], b.boundary[1], b.n);
}

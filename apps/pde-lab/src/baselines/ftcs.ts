/**
 * The course's PDE-project baseline (the course, 2025 Project 1, PDE.do.txt): the explicit
 * forward-Euler / centred-difference (FTCS) scheme for u_t = D u_xx on [a, b] with Dirichlet ends,
 *   u_i^{n+1} = u_i^n + r (u_{i+1}^n - 2 u_i^n + u_{i-1}^n),  r = D dt / dx^2 <= 1/2 (stability),
 * compared with the network and the exact solution at chosen times.
 */
import { compileExpression, heatExplicit, numberAlgebra } from '@aml/pinn';
import type { FtcsBaseline } from '../catalog/schema';

/** FTCS solution at requested times. */
export interface FtcsResult {
  /** Grid points x_0..x_Nx. */
  readonly x: Float64Array;
  /** Time step used. */
  readonly dt: number;
  /** For each requested time: the time actually reached (a multiple of dt) and u there. */
  readonly snapshots: readonly { readonly t: number; readonly u: Float64Array }[];
}

/** u(x) from text in the space variable (@aml/pinn's expression compiler on numbers). */
export function profile(text: string, variable: string, what = 'ftcs.initial'): (x: number) => number {
  const f = compileExpression(text, [variable], { what });
  return (x: number) => {
    const v = f.evaluate(numberAlgebra, { [variable]: x });
    if (!Number.isFinite(v))
      throw new Error(`${what}: '${text}' at ${variable} = ${x} gave ${v}; use a real expression in ${variable}`);
    return v;
  };
}

/** Check a baseline against the problem before training: inputs exist, r is stable, dx divides the rod, the profile parses. */
export function checkFtcs(
  b: FtcsBaseline,
  ctx: {
    readonly inputs: readonly string[];
    readonly box: { readonly lo: readonly number[]; readonly hi: readonly number[] };
  },
): void {
  const space = ctx.inputs.indexOf(b.space);
  if (space < 0 || !ctx.inputs.includes(b.time)) {
    throw new Error(
      `ftcs: inputs '${b.space}' and '${b.time}' must be inputs of the problem (${ctx.inputs.join(', ')})`,
    );
  }
  if (b.r > 0.5 + 1e-12)
    throw new Error(`ftcs.r = ${b.r} is above the stability limit 1/2 of the explicit scheme; use r <= 0.5`);
  const [lo, hi] = [ctx.box.lo[space], ctx.box.hi[space]];
  const nx = Math.round((hi - lo) / b.dx);
  if (nx < 2 || Math.abs(nx * b.dx - (hi - lo)) > 1e-9 * (hi - lo))
    throw new Error(`ftcs.dx = ${b.dx} does not divide [${lo}, ${hi}] into whole cells`);
  profile(b.initial, b.space)(lo);
}

/**
 * Solve with the explicit scheme (@aml/pinn's `heatExplicit`) up to each of `times` on [lo, hi],
 * dt = r dx^2 / D. Fails when r > 1/2, where the scheme is unstable.
 */
export function solveFtcs(b: FtcsBaseline, lo: number, hi: number, times: readonly number[]): FtcsResult {
  if (b.r > 0.5 + 1e-12)
    throw new Error(`ftcs.r = ${b.r} is above the stability limit 1/2 of the explicit scheme; use r <= 0.5`);
  const nx = Math.round((hi - lo) / b.dx);
  if (Math.abs(nx * b.dx - (hi - lo)) > 1e-9 * (hi - lo))
    throw new Error(`ftcs.dx = ${b.dx} does not divide [${lo}, ${hi}] into whole cells`);
  const dt = (b.r * b.dx * b.dx) / b.diffusivity;
  const tEnd = times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const sol = heatExplicit({
    initial: profile(b.initial, b.space),
    x0: lo,
    x1: hi,
    left: b.boundary[0],
    right: b.boundary[1],
    diffusivity: b.diffusivity,
    dx: b.dx,
    dt,
    tEnd: Math.round(tEnd / dt) * dt,
    saveAt: times.map((t) => Math.round(t / dt) * dt),
  });
  // heatExplicit saves in time order; hand the snapshots back in the order asked.
  const snapshots = times.map((t) => {
    const k = sol.t.findIndex((s) => Math.abs(s - Math.round(t / dt) * dt) <= 1e-9 * Math.max(1, t));
    if (k < 0) throw new Error(`ftcs: no snapshot at t = ${t}`);
    return { t: sol.t[k], u: sol.u[k] };
  });
  return { x: sol.x, dt, snapshots };
}

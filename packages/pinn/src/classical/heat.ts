/**
 * The 1D heat equation u_t = D u_xx on [x0, x1] with Dirichlet ends: the grid and time
 * marching shared by its schemes, and the explicit forward-Euler / centred scheme (FTCS) of
 * the course's PDE project with its stability check r = D dt / dx^2 <= 1/2. Crank-Nicolson
 * is in crank-nicolson.ts.
 */

/** Settings shared by the heat solvers. */
export interface HeatSetup {
  /** Initial profile u(x, 0). */
  readonly initial: (x: number) => number;
  /** Domain ends (default [0, 1]). */
  readonly x0?: number;
  readonly x1?: number;
  /** Dirichlet values at the ends, constant in time (default 0, 0). */
  readonly left?: number;
  readonly right?: number;
  /** Diffusion coefficient D (default 1). */
  readonly diffusivity?: number;
  /** Space step. */
  readonly dx: number;
  /** Time step. */
  readonly dt: number;
  /** Final time. */
  readonly tEnd: number;
  /** Times at which to keep snapshots (default only tEnd); rounded to the nearest step. */
  readonly saveAt?: readonly number[];
}

/** Grid, snapshot times and solutions (one row per saved time). */
export interface HeatSolution {
  readonly x: Float64Array;
  readonly t: number[];
  readonly u: Float64Array[];
  /** r = D dt / dx^2. */
  readonly r: number;
}

function grid(s: HeatSetup): { x: Float64Array; nx: number } {
  const x0 = s.x0 ?? 0;
  const x1 = s.x1 ?? 1;
  if (!(x1 > x0)) throw new Error(`heat: domain [${x0}, ${x1}] is empty`);
  if (!(s.dx > 0) || !(s.dt > 0) || !(s.tEnd > 0))
    throw new Error(`heat: dx, dt and tEnd must be positive, got dx=${s.dx}, dt=${s.dt}, tEnd=${s.tEnd}`);
  const nx = Math.round((x1 - x0) / s.dx);
  if (Math.abs(nx * s.dx - (x1 - x0)) > 1e-9 * (x1 - x0))
    throw new Error(`heat: dx=${s.dx} does not divide the domain length ${x1 - x0}`);
  const x = new Float64Array(nx + 1);
  for (let i = 0; i <= nx; i++) x[i] = x0 + (i * (x1 - x0)) / nx;
  return { x, nx };
}

/**
 * March u from s.initial to s.tEnd with `step(u, r)` (u: (nx + 1) grid values, ends included),
 * keeping the rows at s.saveAt. Used by the heat schemes; exported for new schemes on the same grid.
 */
export function marchHeat(s: HeatSetup, step: (u: Float64Array, r: number) => Float64Array): HeatSolution {
  const { x, nx } = grid(s);
  const D = s.diffusivity ?? 1;
  const r = (D * s.dt) / (s.dx * s.dx);
  const nt = Math.round(s.tEnd / s.dt);
  const saveSteps = new Map<number, number>();
  for (const ts of s.saveAt ?? [s.tEnd]) {
    if (ts < 0 || ts > s.tEnd + 1e-12) throw new Error(`heat: save time ${ts} is outside [0, ${s.tEnd}]`);
    saveSteps.set(Math.round(ts / s.dt), ts);
  }
  let u: Float64Array = Float64Array.from(x, (xi) => s.initial(xi));
  u[0] = s.left ?? 0;
  u[nx] = s.right ?? 0;
  const t: number[] = [];
  const out: Float64Array[] = [];
  for (let k = 0; k <= nt; k++) {
    if (saveSteps.has(k)) {
      t.push(k * s.dt);
      out.push(Float64Array.from(u));
    }
    if (k < nt) u = step(u, r);
  }
  return { x, t, u: out, r };
}

/**
 * Explicit FTCS: u_i^{n+1} = u_i^n + r (u_{i+1}^n - 2 u_i^n + u_{i-1}^n). Refuses r > 1/2
 * (the scheme then amplifies the shortest wavelength and blows up).
 */
export function heatExplicit(s: HeatSetup): HeatSolution {
  const D = s.diffusivity ?? 1;
  const r = (D * s.dt) / (s.dx * s.dx);
  if (r > 0.5 + 1e-12) {
    throw new Error(
      `heat explicit scheme: unstable, r = D dt/dx^2 = ${r.toPrecision(4)} > 1/2; use dt <= ${(s.dx * s.dx) / (2 * D)} or Crank-Nicolson`,
    );
  }
  return marchHeat(s, (u, rr) => {
    const v = Float64Array.from(u);
    for (let i = 1; i < u.length - 1; i++) v[i] = u[i] + rr * (u[i + 1] - 2 * u[i] + u[i - 1]);
    return v;
  });
}

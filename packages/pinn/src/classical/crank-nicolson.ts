/**
 * Crank-Nicolson for the heat equation u_t = D u_xx with Dirichlet ends (Crank & Nicolson 1947):
 * the trapezoid rule in time on the centred second difference, second order in dt and dx and
 * unconditionally stable; one Thomas solve per step.
 */
import { marchHeat, type HeatSetup, type HeatSolution } from './heat';
import { solveTridiagonal } from './tridiagonal';

/**
 * Crank-Nicolson: (I - r/2 A) u^{n+1} = (I + r/2 A) u^n, A the second-difference matrix, r = D dt / dx^2.
 *
 * @example
 *   heatCrankNicolson({ initial: (x) => Math.sin(Math.PI * x), dx: 0.01, dt: 0.005, tEnd: 0.5 }).u[0]; // (101) values at t = 0.5
 */
export function heatCrankNicolson(s: HeatSetup): HeatSolution {
  return marchHeat(s, (u, r) => {
    const n = u.length - 2; // interior unknowns
    const a = new Float64Array(n).fill(-r / 2);
    const b = new Float64Array(n).fill(1 + r);
    const c = new Float64Array(n).fill(-r / 2);
    const d = new Float64Array(n);
    for (let i = 1; i <= n; i++) d[i - 1] = u[i] + (r / 2) * (u[i + 1] - 2 * u[i] + u[i - 1]);
    // Boundary values (constant in time) enter both sides.
    d[0] += (r / 2) * u[0];
    d[n - 1] += (r / 2) * u[n + 1];
    const inner = solveTridiagonal(a, b, c, d);
    const v = Float64Array.from(u);
    v.set(inner, 1);
    return v;
  });
}

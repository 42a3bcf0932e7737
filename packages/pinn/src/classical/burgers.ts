/**
 * Exact solution of the viscous Burgers equation u_t + u u_x = nu u_xx on [-1, 1] with
 * u(x, 0) = -sin(pi x) and u(+-1, t) = 0 (Raissi et al. 2019's benchmark), by the
 * Cole-Hopf transformation (Basdevant et al. 1986):
 *   u(x, t) = - ∫ sin(pi(x - η)) f(x - η) G(η) dη / ∫ f(x - η) G(η) dη,
 *   f(y) = exp(-cos(pi y) / (2 pi nu)),  G(η) = exp(-η^2 / (4 nu t)).
 * With η = sqrt(4 nu t) z both integrals have the weight e^{-z^2}; f spans e^{±1/(2 pi nu)}
 * (e^{±50} for nu = 0.01/pi), so the terms are summed in log scale. The integrand is smooth
 * and decays like a Gaussian, so the composite trapezoid rule on z in [-Z, Z] converges
 * geometrically (tested against the PDE residual by finite differences).
 */
import { check, positiveNumber } from '@aml/core';

/** Options of the quadrature. */
export interface BurgersOptions {
  /** Viscosity nu (default 0.01/pi). */
  readonly nu?: number;
  /** Quadrature nodes (default 4000). */
  readonly nodes?: number;
  /** Half-width of the z range (default 12: e^{-144} is far below double precision). */
  readonly zMax?: number;
}

/** u(x, t) of the Burgers benchmark. */
export function burgersExact(x: number, t: number, opts: BurgersOptions = {}): number {
  const nu = opts.nu ?? 0.01 / Math.PI;
  check(positiveNumber(), nu, 'burgers: nu');
  if (t <= 0) return -Math.sin(Math.PI * x);
  const n = opts.nodes ?? 4000;
  const zMax = opts.zMax ?? 12;
  const c = Math.sqrt(4 * nu * t);
  const k = 1 / (2 * Math.PI * nu);
  // log of f(x - c z) e^{-z^2}: find the max first to sum without overflow.
  const h = (2 * zMax) / n;
  let lmax = -Infinity;
  const logs = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const z = -zMax + i * h;
    const l = -Math.cos(Math.PI * (x - c * z)) * k - z * z;
    logs[i] = l;
    if (l > lmax) lmax = l;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i <= n; i++) {
    const z = -zMax + i * h;
    const w = Math.exp(logs[i] - lmax) * (i === 0 || i === n ? 0.5 : 1);
    num += Math.sin(Math.PI * (x - c * z)) * w;
    den += w;
  }
  return -num / den;
}

/** The benchmark on a grid: xs (nx points in [-1, 1]) by ts (nt points in [0, tEnd]); u[i][j] = u(ts[i], xs[j]). */
export function burgersGrid(
  nx: number,
  nt: number,
  tEnd = 1,
  opts: BurgersOptions = {},
): { x: Float64Array; t: Float64Array; u: Float64Array[] } {
  const x = Float64Array.from({ length: nx }, (_, j) => -1 + (2 * j) / (nx - 1));
  const t = Float64Array.from({ length: nt }, (_, i) => (tEnd * i) / (nt - 1));
  const u = Array.from(t, (ti) => Float64Array.from(x, (xj) => burgersExact(xj, ti, opts)));
  return { x, t, u };
}

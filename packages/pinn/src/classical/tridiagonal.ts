/**
 * Thomas algorithm for tridiagonal systems (the course's solver for implicit schemes and
 * 1D Poisson): a_i x_{i-1} + b_i x_i + c_i x_{i+1} = d_i, O(n), no pivoting (stable for
 * diagonally dominant matrices, as in the schemes here).
 */
import { check, positiveInt } from '@aml/core';

/**
 * @param a sub-diagonal (length n; a[0] unused)
 * @param b diagonal (length n)
 * @param c super-diagonal (length n; c[n-1] unused)
 * @param d right-hand side (length n)
 */
export function solveTridiagonal(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  d: ArrayLike<number>,
): Float64Array {
  const n = b.length;
  if (a.length !== n || c.length !== n || d.length !== n)
    throw new Error(`tridiagonal: a, b, c, d need the same length (${n})`);
  const cp = new Float64Array(n);
  const dp = new Float64Array(n);
  if (b[0] === 0) throw new Error('tridiagonal: zero pivot at row 0');
  cp[0] = c[0] / b[0];
  dp[0] = d[0] / b[0];
  for (let i = 1; i < n; i++) {
    const m = b[i] - a[i] * cp[i - 1];
    if (m === 0) throw new Error(`tridiagonal: zero pivot at row ${i}`);
    cp[i] = c[i] / m;
    dp[i] = (d[i] - a[i] * dp[i - 1]) / m;
  }
  const x = new Float64Array(n);
  x[n - 1] = dp[n - 1];
  for (let i = n - 2; i >= 0; i--) x[i] = dp[i] - cp[i] * x[i + 1];
  return x;
}

/**
 * 1D Poisson -u'' = f on [a, b] with u(a) = ua, u(b) = ub, second-order central differences
 * on n interior points. Returns the grid (n + 2 points, ends included) and u there.
 */
export function poisson1d(
  f: (x: number) => number,
  a: number,
  b: number,
  ua: number,
  ub: number,
  n: number,
): { x: Float64Array; u: Float64Array } {
  check(positiveInt(), n, 'poisson1d: interior points n');
  if (!(b > a)) throw new Error(`poisson1d: interval [${a}, ${b}] is empty`);
  const h = (b - a) / (n + 1);
  const x = new Float64Array(n + 2);
  for (let i = 0; i < n + 2; i++) x[i] = a + i * h;
  const rhs = new Float64Array(n);
  for (let i = 0; i < n; i++) rhs[i] = h * h * f(x[i + 1]);
  rhs[0] += ua;
  rhs[n - 1] += ub;
  const inner = solveTridiagonal(
    new Float64Array(n).fill(-1),
    new Float64Array(n).fill(2),
    new Float64Array(n).fill(-1),
    rhs,
  );
  const u = new Float64Array(n + 2);
  u[0] = ua;
  u[n + 1] = ub;
  u.set(inner, 1);
  return { x, u };
}

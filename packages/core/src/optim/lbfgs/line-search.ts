/**
 * Strong-Wolfe line search: Nocedal & Wright, "Numerical Optimization" (2nd ed.), Algorithm 3.5
 * (bracketing) and Algorithm 3.6 (zoom), with the cubic interpolation of eq. (3.59) safeguarded by bisection.
 *
 * phi(a) = f(x + a d). A trial whose loss is not finite counts as "too far" (it brackets from above),
 * so a step into an overflow region shrinks instead of poisoning the iterate.
 *
 * float32 losses: near a minimum the decrease along d drops below the loss's rounding noise and the
 * sufficient-decrease test fails at random. As in Hager & Zhang (2005, "approximate Wolfe conditions"),
 * a point whose loss is within `fNoise * |phi(0)|` of phi(0) and whose slope passes the curvature test
 * is accepted too (the curvature test alone keeps s.y > 0, so the quasi-Newton update stays valid).
 */

/** One evaluation of phi at step `a`: value, slope phi'(a) = g(x + a d) . d, and the gradient itself. */
export interface PhiPoint {
  readonly a: number;
  readonly f: number;
  readonly dphi: number;
  /** Gradient at x + a d (kept so the caller does not evaluate again). */
  readonly g: Float64Array;
}

/** Line-search constants. */
export interface LineSearchOptions {
  /** Sufficient-decrease constant (Armijo), 0 < c1 < c2 (default 1e-4). */
  readonly c1: number;
  /** Curvature constant, c1 < c2 < 1 (default 0.9, the usual choice for quasi-Newton). */
  readonly c2: number;
  /** Most evaluations of phi in one search (default 25). */
  readonly maxEvals: number;
  /** Largest step tried (default 1e10). */
  readonly alphaMax: number;
  /**
   * Relative rounding noise of the loss for the approximate-Wolfe test (0 = off). Default 1e-4: a float32
   * mean-squared loss whose residuals cancel (out - y with out ~ 1, residual ~ 1e-3) has relative noise
   * ~1e-5, far above float32's 1e-7; Hager & Zhang's 1e-6 assumes double precision.
   */
  readonly fNoise: number;
}

export const DEFAULT_LINE_SEARCH: LineSearchOptions = { c1: 1e-4, c2: 0.9, maxEvals: 25, alphaMax: 1e10, fNoise: 1e-4 };

/** How an accepted step passed: strong Wolfe, sufficient decrease only (budget ran out), or approximate Wolfe (noise). */
export type Acceptance = 'strongWolfe' | 'armijo' | 'approximate';

/** Outcome of a search: the accepted point, or why none was found. */
export type LineSearchResult =
  | { readonly ok: true; readonly point: PhiPoint; readonly evals: number; readonly acceptance: Acceptance }
  | { readonly ok: false; readonly evals: number; readonly message: string };

/**
 * Minimiser of the cubic interpolating phi and phi' at a0 and a1 (N&W eq. 3.59), or NaN when it does not exist.
 */
export function cubicMinimizer(p0: PhiPoint, p1: PhiPoint): number {
  const d1 = p0.dphi + p1.dphi - (3 * (p0.f - p1.f)) / (p0.a - p1.a);
  const disc = d1 * d1 - p0.dphi * p1.dphi;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(p1.a - p0.a) * Math.sqrt(disc);
  return p1.a - ((p1.a - p0.a) * (p1.dphi + d2 - d1)) / (p1.dphi - p0.dphi + 2 * d2);
}

/**
 * Find a step satisfying the strong Wolfe conditions
 *   phi(a) <= phi(0) + c1 a phi'(0)   and   |phi'(a)| <= c2 |phi'(0)|.
 *
 * @param phi     evaluates phi and phi' at a step (one loss + gradient evaluation)
 * @param p0      phi at a = 0 (phi'(0) must be < 0: a descent direction)
 * @param alpha1  first trial step
 *
 * If the evaluation budget runs out after a point with sufficient decrease was found, that point is
 * returned with `acceptance: 'armijo'` (progress is kept; the memory skips a pair without positive curvature).
 */
export function strongWolfe(
  phi: (a: number) => PhiPoint,
  p0: PhiPoint,
  alpha1: number,
  opts: LineSearchOptions = DEFAULT_LINE_SEARCH,
): LineSearchResult {
  const { c1, c2, maxEvals, alphaMax, fNoise } = opts;
  let evals = 0;
  const armijo = (p: PhiPoint) => Number.isFinite(p.f) && p.f <= p0.f + c1 * p.a * p0.dphi;
  const curvature = (p: PhiPoint) => Math.abs(p.dphi) <= -c2 * p0.dphi;
  const eps = fNoise * Math.abs(p0.f);
  const withinNoise = (p: PhiPoint) => Number.isFinite(p.f) && p.f <= p0.f + eps;
  const accept = (p: PhiPoint): Acceptance | null =>
    !curvature(p) ? null : armijo(p) ? 'strongWolfe' : withinNoise(p) ? 'approximate' : null;
  // Bracketing decisions tolerate eps as well (Hager & Zhang's update rule): a point within the noise
  // that still descends is a valid low end, so the slope, not rounding, decides where the bracket goes.
  const lowEnough = (p: PhiPoint, ref: PhiPoint) =>
    eps === 0
      ? armijo(p) && p.f < ref.f // Nocedal & Wright exactly
      : (armijo(p) || (withinNoise(p) && p.dphi < 0)) && p.f <= ref.f + eps;
  const evaluate = (a: number): PhiPoint => {
    evals++;
    const p = phi(a);
    return Number.isFinite(p.f) && Number.isFinite(p.dphi) ? p : { a, f: Infinity, dphi: NaN, g: p.g };
  };
  const fallback = (lo: PhiPoint, why: string): LineSearchResult =>
    lo.a > 0 && lo.f < p0.f ? { ok: true, point: lo, evals, acceptance: 'armijo' } : { ok: false, evals, message: why };

  const zoom = (lo: PhiPoint, hi: PhiPoint): LineSearchResult => {
    for (;;) {
      if (evals >= maxEvals)
        return fallback(lo, `no strong-Wolfe step after ${evals} evaluations (zoom in [${lo.a}, ${hi.a}])`);
      const width = Math.abs(hi.a - lo.a);
      if (width <= 1e-16 * Math.max(1, Math.abs(lo.a))) {
        return fallback(
          lo,
          `step interval collapsed to [${lo.a}, ${hi.a}] (loss not decreasing along the direction: rounding?)`,
        );
      }
      const left = Math.min(lo.a, hi.a),
        right = Math.max(lo.a, hi.a);
      let a = Number.isFinite(hi.f) ? cubicMinimizer(lo, hi) : NaN;
      // Safeguard: stay 10% inside the bracket, else bisect.
      if (!(a >= left + 0.1 * width && a <= right - 0.1 * width)) a = (lo.a + hi.a) / 2;
      const p = evaluate(a);
      const acc = accept(p);
      if (acc) return { ok: true, point: p, evals, acceptance: acc };
      if (!lowEnough(p, lo)) {
        hi = p;
      } else {
        if (p.dphi * (hi.a - lo.a) >= 0) hi = lo;
        lo = p;
      }
    }
  };

  let prev = p0;
  let a = Math.min(alpha1, alphaMax);
  for (let i = 1; ; i++) {
    if (evals >= maxEvals) return fallback(prev, `no strong-Wolfe step after ${evals} evaluations (bracketing)`);
    const p = evaluate(a);
    const acc = accept(p);
    if (acc) return { ok: true, point: p, evals, acceptance: acc };
    if (!lowEnough(p, i > 1 ? prev : p0)) return zoom(prev, p);
    if (p.dphi >= 0) return zoom(p, prev);
    if (a >= alphaMax)
      return fallback(p, `step reached alphaMax ${alphaMax} with the loss still decreasing (unbounded below?)`);
    prev = p;
    a = Math.min(2 * a, alphaMax); // still descending steeply: expand the bracket
  }
}

/**
 * Residual-based adaptive distribution (RAD; Wu, Zhu, Tan, Kartha & Lu 2023, "A comprehensive
 * study of non-adaptive and residual-based adaptive sampling for physics-informed neural
 * networks", CMAME, arXiv:2207.10289): on a candidate set S, sample with density
 *
 *   p(x) ∝ |r(x)|^k / mean_S |r|^k + c,
 *
 * k sharpening towards large residuals (k → ∞ is greedy RAR) and c keeping a uniform floor
 * (k = 0 or c → ∞ is uniform). The paper's defaults are k = 1, c = 1.
 */
import type { Rng } from '@aml/core';

/**
 * RAD probabilities of candidates with residual magnitudes `absResidual` (n), summing to 1.
 * @example radProbabilities([0, 1, 3], 1, 1) // [0.166667, 0.291667, 0.541667]
 */
export function radProbabilities(absResidual: ArrayLike<number>, k: number, c: number): Float64Array {
  const n = absResidual.length;
  if (n === 0) throw new Error('RAD: no candidate points');
  if (!(k >= 0) || !(c >= 0)) throw new Error(`RAD: k and c must be >= 0, got k = ${k}, c = ${c}`);
  const pow = Float64Array.from(absResidual, (r) => Math.abs(r) ** k);
  let mean = 0;
  for (const v of pow) mean += v / n;
  const dens = pow.map((v) => (mean > 0 ? v / mean : 0) + c);
  let total = 0;
  for (const v of dens) total += v;
  if (!(total > 0)) return new Float64Array(n).fill(1 / n); // all residuals zero and c = 0: nothing to prefer
  return dens.map((v) => v / total);
}

/**
 * Draw `count` distinct indices with probabilities proportional to `p` (Efraimidis & Spirakis 2006:
 * keep the largest keys u^(1/p)); indices with p = 0 are taken only when nothing else is left.
 * @returns indices in draw order (largest key first)
 */
export function sampleWithoutReplacement(p: ArrayLike<number>, count: number, rng: Rng): number[] {
  const n = p.length;
  if (!(Number.isInteger(count) && count >= 0 && count <= n))
    throw new Error(`RAD: cannot draw ${count} distinct points from ${n} candidates; raise candidates`);
  // log key = log(u) / p: monotone in u^(1/p), and finite for small p.
  const keys = Float64Array.from({ length: n }, (_, i) =>
    p[i] > 0 ? Math.log(rng.uniform() || Number.MIN_VALUE) / p[i] : -Infinity,
  );
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
  return order.slice(0, count);
}

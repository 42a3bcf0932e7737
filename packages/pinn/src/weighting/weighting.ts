/**
 * Loss weighting: fixed weights, and two adaptive schemes that balance the PDE residual
 * against the conditions during training (the most requested missing feature of DeepXDE).
 *
 * - ReLoBRaLo (Bischof & Kraus 2021, "Multi-objective loss balancing for physics-informed
 *   deep learning"): weights from the terms' relative progress, a softmax with temperature
 *   T over L_i(t) / L_i(t') against the previous step and (with random "saudade" ρ) the
 *   first step; uses loss values only, so it costs nothing extra.
 * - Learning-rate annealing (Wang, Teng & Perdikaris 2021, "Understanding and mitigating
 *   gradient flow pathologies in PINNs"): every `every` steps,
 *   λ̂_i = max|∇θ L_pde| / mean|∇θ L_i|, λ_i ← (1 - α) λ_i + α λ̂_i (one extra backward
 *   pass per term when it updates).
 * - Gradient-norm balancing (jaxpi; Wang, Sankaran, Wang & Perdikaris 2023, "An Expert's Guide to
 *   Training Physics-informed Neural Networks", arXiv:2308.08468): every `every` steps,
 *   G_i = ||∇θ L_i||_2 over all parameters, λ̂_i = mean_j G_j / G_i, λ_i ← m λ_i + (1 - m) λ̂_i.
 */
import { check, halfOpenUnit, positiveInt, type Rng } from '@aml/core';

/** Weighting settings. */
export type WeightingConfig =
  | {
      readonly scheme: 'fixed' /** Weight per term label (default 1). */;
      readonly weights?: Readonly<Record<string, number>>;
    }
  | {
      readonly scheme: 'relobralo';
      /** Exponential-decay rate of the history, α (default 0.999). */
      readonly alpha?: number;
      /** Expected value of the Bernoulli look-back ρ (default 0.999). */
      readonly rho?: number;
      /** Softmax temperature T (default 0.1). */
      readonly temperature?: number;
    }
  | {
      readonly scheme: 'lra';
      /** Moving-average rate α (default 0.1). */
      readonly alpha?: number;
      /** Update every this many steps (default 10). */
      readonly every?: number;
    }
  | {
      readonly scheme: 'gradnorm';
      /** Update every this many steps, counting step 0 (default 1000, as jaxpi). */
      readonly every?: number;
      /** Moving-average momentum m (default 0.9). */
      readonly momentum?: number;
    };

/** Per-term gradient statistics over the parameters: max and mean of |∇θ L|, and the L2 norm ||∇θ L||_2. */
export interface GradientStats {
  readonly max: number;
  readonly mean: number;
  readonly norm: number;
}

/** Plain-data state of a weighting (for checkpoints). */
export interface WeightingState {
  readonly weights: Record<string, number>;
  readonly history: Record<string, number[]>;
  /** Scheme-specific memory (ReLoBRaLo's first and previous losses). */
  readonly memory?: unknown;
}

/**
 * Gradient-norm balance: λ̂_i = mean_j G_j / G_i.
 * @example gradNormWeights([2, 8]) // [2.5, 0.625]
 */
export function gradNormWeights(norms: readonly number[]): number[] {
  const mean = norms.reduce((a, b) => a + b, 0) / norms.length;
  return norms.map((g) => mean / g);
}

/** Current weights and how to update them; the solver calls `update` after each Adam step. */
export interface Weighting {
  readonly scheme: string;
  /** Weight of each term now. */
  readonly weights: Record<string, number>;
  /** Weight history per term (one entry per step). */
  readonly history: Record<string, number[]>;
  /** Whether `update` needs per-term gradient statistics at this step. */
  needsGradients(step: number): boolean;
  /**
   * @param losses the terms' (unweighted) losses at this step
   * @param gradStats per term: max and mean |∇θ L_term| (only when needsGradients)
   */
  update(
    step: number,
    losses: Readonly<Record<string, number>>,
    gradStats?: Readonly<Record<string, GradientStats>>,
  ): void;
  /** Weights, history and memory as plain data. */
  getState(): WeightingState;
  /** Restore `getState()`'s data. */
  setState(state: WeightingState): void;
}

/** Copy a state's weights and history into the live objects (kept by reference in the solver's history). */
function restoreInto(weights: Record<string, number>, history: Record<string, number[]>, s: WeightingState): void {
  Object.assign(weights, s.weights);
  for (const [k, v] of Object.entries(s.history)) history[k] = [...v];
}

/**
 * Build a weighting over `terms` (the first is the PDE residual, the reference term of LRA).
 * `base` holds user weights (fixed scheme) or starting weights.
 */
export function createWeighting(
  config: WeightingConfig | undefined,
  terms: readonly string[],
  rng: Rng,
  base: Readonly<Record<string, number>> = {},
): Weighting {
  const weights: Record<string, number> = Object.fromEntries(terms.map((t) => [t, base[t] ?? 1]));
  const history: Record<string, number[]> = Object.fromEntries(terms.map((t) => [t, []]));
  const record = () => terms.forEach((t) => history[t].push(weights[t]));
  const cfg = config ?? { scheme: 'fixed' };
  if (cfg.scheme === 'fixed') {
    for (const [k, v] of Object.entries(cfg.weights ?? {})) {
      if (!terms.includes(k))
        throw new Error(`weighting: unknown term "${k}"; terms are ${terms.map((t) => `"${t}"`).join(', ')}`);
      if (!(v >= 0) || !Number.isFinite(v))
        throw new Error(`weighting: weight of "${k}" must be a finite number >= 0, got ${v}`);
      weights[k] = v;
    }
    const plain = {
      getState: (): WeightingState => ({
        weights: { ...weights },
        history: Object.fromEntries(terms.map((t) => [t, [...history[t]]])),
      }),
      setState: (st: WeightingState) => restoreInto(weights, history, st),
    };
    return { scheme: 'fixed', weights, history, needsGradients: () => false, update: () => record(), ...plain };
  }
  if (cfg.scheme === 'relobralo') {
    const alpha = cfg.alpha ?? 0.999;
    const rho = cfg.rho ?? 0.999;
    const T = cfg.temperature ?? 0.1;
    let first: Record<string, number> | null = null;
    let prev: Record<string, number> | null = null;
    const m = terms.length;
    const balance = (now: Readonly<Record<string, number>>, ref: Record<string, number>) => {
      const z = terms.map((t) => now[t] / (T * ref[t] + 1e-30));
      const zmax = z.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
      const e = z.map((v) => Math.exp(v - zmax));
      const s = e.reduce((a, b) => a + b, 0);
      return Object.fromEntries(terms.map((t, i) => [t, (m * e[i]) / s]));
    };
    return {
      scheme: 'relobralo',
      weights,
      history,
      needsGradients: () => false,
      update(_step, losses) {
        if (!first) {
          first = { ...losses };
          prev = { ...losses };
          record();
          return;
        }
        const balPrev = balance(losses, prev!);
        const balFirst = balance(losses, first);
        const r = rng.uniform() < rho ? 1 : 0;
        for (const t of terms) {
          weights[t] = alpha * (r * weights[t] + (1 - r) * balFirst[t]) + (1 - alpha) * balPrev[t];
        }
        prev = { ...losses };
        record();
      },
      getState: () => ({
        weights: { ...weights },
        history: Object.fromEntries(terms.map((t) => [t, [...history[t]]])),
        memory: { first, prev },
      }),
      setState(st) {
        restoreInto(weights, history, st);
        const mem = st.memory as
          | { first: Record<string, number> | null; prev: Record<string, number> | null }
          | undefined;
        first = mem?.first ?? null;
        prev = mem?.prev ?? null;
      },
    };
  }
  if (cfg.scheme === 'lra') {
    const alpha = cfg.alpha ?? 0.1;
    const every = cfg.every ?? 10;
    check(positiveInt(), every, 'weighting: lra every');
    const ref = terms[0];
    return {
      scheme: 'lra',
      weights,
      history,
      needsGradients: (step) => step % every === 0,
      update(_step, _losses, stats) {
        if (stats) {
          const top = stats[ref].max;
          for (const t of terms.slice(1)) {
            const hat = top / (stats[t].mean + 1e-30);
            if (Number.isFinite(hat)) weights[t] = (1 - alpha) * weights[t] + alpha * hat;
          }
        }
        record();
      },
      getState: () => ({
        weights: { ...weights },
        history: Object.fromEntries(terms.map((t) => [t, [...history[t]]])),
      }),
      setState: (st) => restoreInto(weights, history, st),
    };
  }
  if (cfg.scheme === 'gradnorm') {
    const every = cfg.every ?? 1000;
    const m = cfg.momentum ?? 0.9;
    check(positiveInt(), every, 'weighting: gradnorm every');
    check(halfOpenUnit(), m, 'weighting: gradnorm momentum');
    return {
      scheme: 'gradnorm',
      weights,
      history,
      needsGradients: (step) => step % every === 0,
      update(_step, _losses, stats) {
        if (stats) {
          const hat = gradNormWeights(terms.map((t) => stats[t].norm));
          terms.forEach((t, i) => {
            if (Number.isFinite(hat[i])) weights[t] = m * weights[t] + (1 - m) * hat[i];
          });
        }
        record();
      },
      getState: () => ({
        weights: { ...weights },
        history: Object.fromEntries(terms.map((t) => [t, [...history[t]]])),
      }),
      setState: (st) => restoreInto(weights, history, st),
    };
  }
  throw new Error(
    `weighting: unknown scheme ${JSON.stringify((cfg as { scheme: unknown }).scheme)}; use fixed, relobralo, lra or gradnorm`,
  );
}

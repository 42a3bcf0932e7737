/**
 * 2D Ising model configurations by single-spin Metropolis (Metropolis et al. 1953),
 * on an L x L square lattice with periodic boundaries:
 *
 *   E(s) = -J * sum_<ij> s_i s_j - h * sum_i s_i,   s_i in {-1, +1},   p(s) ~ exp(-E(s) / T)
 *
 * (k_B = 1; each nearest-neighbour bond counted once, as the right and down neighbour of a site.
 * For L = 2 the periodic right and left neighbours coincide, so each pair carries two bonds.)
 *
 * Plain typed arrays, no tfjs: this feeds both classical Monte Carlo studies and the
 * training sets of the neural models (course experiments 14 and 16). Randomness comes
 * only from the `Rng` passed in, so the same seed gives the same configurations.
 */
import { finiteNumber, intAtLeast, nonNegativeInt, positiveInt, positiveNumber, type Rng } from '@aml/core';
import { z } from 'zod';

/** Settings of an Ising Metropolis run (all plain data; validated by `sampleIsing`). */
export interface IsingConfig {
  /** Linear lattice size L (L x L spins, periodic boundaries), >= 2. */
  readonly L: number;
  /** Temperature T > 0 (k_B = 1). The course's coupling study uses beta = 1/T = 1. */
  readonly temperature: number;
  /** Coupling J (default 1; J > 0 ferromagnet, J < 0 antiferromagnet). */
  readonly J?: number;
  /** External field h (default 0). */
  readonly h?: number;
  /** Number of configurations to return, >= 1. */
  readonly nSamples: number;
  /** Sweeps (L*L attempted flips each) discarded before the first sample (default 1000). */
  readonly thermalisation?: number;
  /** Sweeps between stored samples (default 10); larger thinning gives less correlated samples. */
  readonly thin?: number;
  /** Initial state: 'random' (hot start, default), 'up' (all +1) or 'down' (all -1). */
  readonly start?: 'random' | 'up' | 'down';
}

/** Configurations and their observables from `sampleIsing`. */
export interface IsingSamples {
  /** Spins in {-1, +1}, row-major, shape (n, L, L). */
  readonly spins: Int8Array;
  /** Number of configurations n. */
  readonly n: number;
  /** Lattice size L. */
  readonly L: number;
  /** Magnetisation per spin m = (1/L^2) sum_i s_i of each configuration, shape (n). */
  readonly magnetisation: Float64Array;
  /** Energy per spin E/L^2 of each configuration (bonds and field), shape (n). */
  readonly energy: Float64Array;
  /** Fraction of accepted flips over the whole run (thermalisation included). */
  readonly acceptance: number;
  /** The validated settings, defaults filled in. */
  readonly config: Required<IsingConfig>;
}

const isingSchema = z.strictObject({
  L: intAtLeast(2, 'L'),
  temperature: positiveNumber('temperature'),
  J: finiteNumber('J').default(1),
  h: finiteNumber('h').default(0),
  nSamples: positiveInt('nSamples'),
  thermalisation: nonNegativeInt('thermalisation').default(1000),
  thin: positiveInt('thin').default(10),
  start: z.enum(['random', 'up', 'down']).default('random'),
});

/** Validate an Ising config, filling defaults; throws an error naming the bad field. */
export function parseIsingConfig(config: IsingConfig): Required<IsingConfig> {
  const r = isingSchema.safeParse(config);
  if (!r.success) throw new Error(`invalid Ising config:\n${z.prettifyError(r.error)}`);
  return r.data;
}

/**
 * Energy per spin of one configuration, E/L^2 with E = -J sum_<ij> s_i s_j - h sum_i s_i.
 * @param s  spins in {-1,+1}, shape (L, L) row-major (a subarray of a batch is fine).
 */
export function isingEnergyPerSpin(s: ArrayLike<number>, L: number, J = 1, h = 0): number {
  let bonds = 0;
  let sum = 0;
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      const v = s[i * L + j];
      bonds += v * (s[i * L + ((j + 1) % L)] + s[((i + 1) % L) * L + j]);
      sum += v;
    }
  }
  return (-J * bonds - h * sum) / (L * L);
}

/** Magnetisation per spin (1/L^2) sum_i s_i of one configuration, shape (L, L). */
export function isingMagnetisation(s: ArrayLike<number>, L: number): number {
  let sum = 0;
  for (let k = 0; k < L * L; k++) sum += s[k];
  return sum / (L * L);
}

/**
 * Draw `nSamples` Ising configurations with single-spin Metropolis (random site per attempt).
 *
 * @example
 *   const { spins, magnetisation } = sampleIsing({ L: 16, temperature: 2.0, nSamples: 100 }, new Rng(1));
 *   // spins: Int8Array (100, 16, 16) of +-1; magnetisation: (100)
 */
export function sampleIsing(config: IsingConfig, rng: Rng): IsingSamples {
  const c = parseIsingConfig(config);
  const { L, J, h, nSamples, thermalisation, thin, temperature } = c;
  const N = L * L;
  const s = new Int8Array(N);
  for (let k = 0; k < N; k++) {
    s[k] = c.start === 'up' ? 1 : c.start === 'down' ? -1 : rng.uniform() < 0.5 ? -1 : 1;
  }
  // Acceptance probabilities min(1, exp(-dE/T)) for every (spin, neighbour sum) pair:
  // dE = 2 s (J * nb + h) with nb in {-4,-2,0,2,4}; a table avoids exp in the inner loop.
  const accept = new Float64Array(10);
  for (let si = 0; si < 2; si++) {
    for (let nb = 0; nb < 5; nb++) {
      const dE = 2 * (2 * si - 1) * (J * (2 * nb - 4) + h);
      accept[si * 5 + nb] = Math.min(1, Math.exp(-dE / temperature));
    }
  }
  let accepted = 0;
  let attempts = 0;
  const sweep = () => {
    for (let a = 0; a < N; a++) {
      const k = rng.int(N);
      const i = (k / L) | 0;
      const j = k - i * L;
      const nb =
        s[i * L + ((j + 1) % L)] +
        s[i * L + ((j + L - 1) % L)] +
        s[((i + 1) % L) * L + j] +
        s[((i + L - 1) % L) * L + j];
      const p = accept[((s[k] + 1) >> 1) * 5 + ((nb + 4) >> 1)];
      if (p >= 1 || rng.uniform() < p) {
        s[k] = -s[k];
        accepted++;
      }
    }
    attempts += N;
  };
  for (let t = 0; t < thermalisation; t++) sweep();
  const spins = new Int8Array(nSamples * N);
  const magnetisation = new Float64Array(nSamples);
  const energy = new Float64Array(nSamples);
  for (let n = 0; n < nSamples; n++) {
    for (let t = 0; t < thin; t++) sweep();
    spins.set(s, n * N);
    magnetisation[n] = isingMagnetisation(s, L);
    energy[n] = isingEnergyPerSpin(s, L, J, h);
  }
  return { spins, n: nSamples, L, magnetisation, energy, acceptance: attempts ? accepted / attempts : 0, config: c };
}

/**
 * Spins {-1,+1} as a Float32Array, either kept as +-1 or mapped to binary {0,1}
 * ((s+1)/2, the visible units of a binary RBM). Shape unchanged, e.g. (n, L, L) flattened.
 */
export function isingToFloat(spins: Int8Array, encoding: 'pm1' | 'binary' = 'pm1'): Float32Array {
  const out = new Float32Array(spins.length);
  if (encoding === 'binary') for (let k = 0; k < spins.length; k++) out[k] = (spins[k] + 1) / 2;
  else for (let k = 0; k < spins.length; k++) out[k] = spins[k];
  return out;
}

/**
 * Exact Boltzmann distribution of a small lattice by enumerating all 2^(L*L) states (L*L <= 20).
 * Returns each state's probability and its energy/magnetisation per spin; state index k has
 * spin n = +1 where bit n of k is set. The oracle the Metropolis tests compare against.
 */
export function isingExact(
  L: number,
  temperature: number,
  J = 1,
  h = 0,
): { probs: Float64Array; energy: Float64Array; magnetisation: Float64Array } {
  const N = L * L;
  if (N > 20) throw new Error(`isingExact: L*L = ${N} spins is too many to enumerate (max 20)`);
  const M = 1 << N;
  const probs = new Float64Array(M);
  const energy = new Float64Array(M);
  const magnetisation = new Float64Array(M);
  const s = new Int8Array(N);
  let minE = Infinity;
  for (let k = 0; k < M; k++) {
    for (let n = 0; n < N; n++) s[n] = (k >> n) & 1 ? 1 : -1;
    energy[k] = isingEnergyPerSpin(s, L, J, h);
    magnetisation[k] = isingMagnetisation(s, L);
    minE = Math.min(minE, energy[k]);
  }
  let Z = 0;
  for (let k = 0; k < M; k++) {
    probs[k] = Math.exp((-(energy[k] - minE) * N) / temperature); // shift by minE for stability
    Z += probs[k];
  }
  for (let k = 0; k < M; k++) probs[k] /= Z;
  return { probs, energy, magnetisation };
}

/**
 * Physics observables of Ising samples (from Metropolis or from a generative model):
 * magnetisation and energy per spin, their means, spreads and histograms, and the
 * relative discrepancy of a model's samples from a reference set.
 */
import { isingEnergyPerSpin, isingMagnetisation } from '@aml/data';

/** Summary of a set of (n, L, L) spin configurations. */
export interface IsingObservables {
  /** <|m|>, mean absolute magnetisation per spin. */
  readonly absMagnetisation: number;
  /** Standard deviation of |m|. */
  readonly absMagnetisationStd: number;
  /** <m^2>. */
  readonly magnetisation2: number;
  /** <E>/N, mean energy per spin. */
  readonly energy: number;
  /** Standard deviation of E/N. */
  readonly energyStd: number;
  /** Histogram of |m| on [0, 1] (counts normalised to sum 1), `bins` entries. */
  readonly absMagnetisationHist: number[];
  /** Histogram of E/N on [-2|J| - |h|, 2|J| + |h|], `bins` entries. */
  readonly energyHist: number[];
}

/**
 * Map model outputs to spins +-1: 'pm1' takes the sign (x >= 0 -> +1), 'binary' thresholds
 * at 0.5 (x >= 0.5 -> +1). Use after drawing Bernoulli samples, or as a mode read-out.
 */
export function toSpins(x: ArrayLike<number>, encoding: 'pm1' | 'binary'): Int8Array {
  const t = encoding === 'binary' ? 0.5 : 0;
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] >= t ? 1 : -1;
  return out;
}

/** Observables of spins +-1, shape (n, L, L) flattened; J and h as in the energy. */
export function isingObservables(spins: ArrayLike<number>, L: number, J = 1, h = 0, bins = 20): IsingObservables {
  const N = L * L;
  if (spins.length === 0 || spins.length % N !== 0) {
    throw new Error(`isingObservables: ${spins.length} values is not a positive multiple of L*L = ${N}`);
  }
  const n = spins.length / N;
  const m = new Float64Array(n),
    e = new Float64Array(n);
  const s = new Float64Array(N);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < N; k++) s[k] = spins[i * N + k];
    m[i] = Math.abs(isingMagnetisation(s, L));
    e[i] = isingEnergyPerSpin(s, L, J, h);
  }
  const meanOf = (a: Float64Array) => a.reduce((p, q) => p + q, 0) / a.length;
  const stdOf = (a: Float64Array, mu: number) => Math.sqrt(a.reduce((p, q) => p + (q - mu) ** 2, 0) / a.length);
  const hist = (a: Float64Array, lo: number, hi: number) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of a) c[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)))] += 1 / a.length;
    return c;
  };
  const am = meanOf(m),
    ae = meanOf(e);
  const eMax = 2 * Math.abs(J) + Math.abs(h);
  return {
    absMagnetisation: am,
    absMagnetisationStd: stdOf(m, am),
    magnetisation2: meanOf(m.map((v) => v * v)),
    energy: ae,
    energyStd: stdOf(e, ae),
    absMagnetisationHist: hist(m, 0, 1),
    energyHist: hist(e, -eMax, eMax),
  };
}

/**
 * Relative discrepancy of a model's observables from a reference (Metropolis):
 * |model - ref| / |ref| for <|m|> and <E>, and the total-variation distance of the histograms.
 */
export function compareIsingObservables(
  model: IsingObservables,
  reference: IsingObservables,
): { absMagnetisationRelErr: number; energyRelErr: number; absMagnetisationTV: number; energyTV: number } {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
  const tv = (p: number[], q: number[]) => 0.5 * p.reduce((s, v, i) => s + Math.abs(v - q[i]), 0);
  return {
    absMagnetisationRelErr: rel(model.absMagnetisation, reference.absMagnetisation),
    energyRelErr: rel(model.energy, reference.energy),
    absMagnetisationTV: tv(model.absMagnetisationHist, reference.absMagnetisationHist),
    energyTV: tv(model.energyHist, reference.energyHist),
  };
}

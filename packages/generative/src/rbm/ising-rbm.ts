/**
 * The exact RBM of the periodic 2D Ising model: one hidden unit per bond reproduces the bond's
 * Boltzmann factor exactly, so p_RBM(v) = p_Ising(s) with s = 2v - 1 (binary visibles).
 *
 * Why: it is an oracle for the learned RBMs of experiments/generative/ising — sampled with the same
 * block-Gibbs schedule, it tells sampling error (too few sweeps) from training error, and it shows that
 * n_h = 2 L^2 hidden units are enough capacity. Derivation, for a bond with K = J / T > 0: summing out
 * h in {0, 1} with E = -h (b + w (v_i + v_j)), b = -w, gives 1 + e^{-w}, 2, 1 + e^{w} for v_i + v_j = 0, 1, 2,
 * which equals C exp(K s_i s_j + (w/2)(v_i + v_j)) when cosh(w/2) = e^{2K}; the visible biases cancel the
 * (w/2)(v_i + v_j). For K < 0 the same unit acts on (v_i, 1 - v_j): weights (w, -w), b = 0. A field h adds
 * 2h/T to every visible bias (h s = 2h v - h).
 */
import { check, intAtLeast, Rng } from '@aml/core';
import { tf } from '@aml/core';
import { createRbm, type Rbm } from './rbm';

/** The Ising model the RBM represents. */
export interface IsingRbmConfig {
  /** Lattice side L >= 2 (L*L visibles, 2 L*L hidden units: the right and down bond of every site). */
  readonly L: number;
  /** Temperature T > 0. */
  readonly temperature: number;
  /** Coupling J (default 1; negative is antiferromagnetic). */
  readonly J?: number;
  /** External field h (default 0). */
  readonly h?: number;
}

/**
 * Build the exact binary RBM (visible v = (s + 1) / 2, row-major sites) of the Ising model with periodic
 * boundaries and the bond convention of @aml/data (each site's right and down neighbour).
 * @example const rbm = isingRbm({ L: 8, temperature: 2.27 }); // W (64, 128); gibbsSample(rbm, v0, 1000, rng)
 */
export function isingRbm(config: IsingRbmConfig): Rbm {
  const { L, temperature: T, J = 1, h = 0 } = config;
  check(intAtLeast(2), L, 'isingRbm: L');
  if (!(T > 0 && Number.isFinite(T))) throw new Error(`isingRbm: temperature must be a finite number > 0, got ${T}`);
  if (!Number.isFinite(J) || !Number.isFinite(h))
    throw new Error(`isingRbm: J and h must be finite, got J = ${J}, h = ${h}`);
  const N = L * L,
    K = J / T;
  const w = 2 * Math.acosh(Math.exp(2 * Math.abs(K))); // cosh(w/2) = e^{2|K|}
  const W = new Float32Array(N * 2 * N); // (N, 2N) row-major
  const a = new Float32Array(N).fill((2 * h) / T);
  const b = new Float32Array(2 * N);
  let unit = 0;
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      const site = i * L + j;
      for (const nb of [i * L + ((j + 1) % L), ((i + 1) % L) * L + j]) {
        const sign = K >= 0 ? 1 : -1; // K < 0: the unit sees 1 - v_nb
        W[site * 2 * N + unit] = w;
        W[nb * 2 * N + unit] = sign * w;
        b[unit] = K >= 0 ? -w : 0;
        a[site] -= w / 2;
        a[nb] -= (sign * w) / 2;
        unit++;
      }
    }
  }
  const rbm = createRbm({ kind: 'binary', nVisible: N, nHidden: 2 * N, initStd: 0 }, new Rng(0));
  tf.tidy(() => {
    rbm.W.assign(tf.tensor2d(W, [N, 2 * N]));
    rbm.a.assign(tf.tensor1d(a));
    rbm.b.assign(tf.tensor1d(b));
  });
  return rbm;
}

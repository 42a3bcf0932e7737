/**
 * PirateNet's physics-informed initialisation (Wang, Li, Chen & Perdikaris 2024,
 * arXiv:2402.00326; jaxpi branch `pirate`, `pi_init_type = "initial_condition"`): with every
 * gate alpha = 0 a PirateNet is a linear model on its embedding, u = Phi(x) W_out + b_out, so
 * W_out can start as the least-squares fit of known values (e.g. the initial condition u0 on
 * a grid of (x, t), repeated over t): W_out = argmin ||Phi W - (Y - b_out)||^2.
 *
 * Solved in float64 on the CPU by the normal equations with a small ridge
 * (Phi^T Phi + delta I) W = Phi^T Y, delta = ridge * trace(Phi^T Phi) / m, Cholesky
 * factorisation: tfjs has no lstsq, and m (the embedding width) is small.
 *
 * @example
 *   const net = createNetwork({ kind: 'pirate', hidden: [128], fourier: { sigma: 1, features: 128 } }, shape, rng) as PirateNetwork;
 *   fitOutputLayer(net, x0, u0);   // x0 (N, d) points, u0 (N, m) values
 */
import { tf, type Network } from '@aml/core';
import type { DenseLayer } from './factorized';

/** A PirateNet from `createNetwork`: its last features and output layer exposed for the fit. */
export interface PirateNetwork extends Network {
  /** x (N, d) -> the features (N, m) the output layer reads (the embedding while every alpha is 0). */
  features(x: tf.Tensor2D): tf.Tensor2D;
  readonly outputLayer: DenseLayer;
}

/**
 * Least squares W (m, k) for Phi (n, m) W ~ Y (n, k), row-major float64, by the ridge-regularised
 * normal equations. `ridge` scales delta = ridge * trace(Phi^T Phi) / m (default 1e-10).
 */
export function leastSquares(
  phi: Float64Array,
  n: number,
  m: number,
  y: Float64Array,
  k: number,
  ridge = 1e-10,
): Float64Array {
  if (phi.length !== n * m) throw new Error(`leastSquares: Phi has ${phi.length} entries, expected n * m = ${n * m}`);
  if (y.length !== n * k) throw new Error(`leastSquares: Y has ${y.length} entries, expected n * k = ${n * k}`);
  const A = new Float64Array(m * m);
  const B = new Float64Array(m * k);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < m; i++) {
      const p = phi[r * m + i];
      if (p === 0) continue;
      for (let j = i; j < m; j++) A[i * m + j] += p * phi[r * m + j];
      for (let c = 0; c < k; c++) B[i * k + c] += p * y[r * k + c];
    }
  }
  let trace = 0;
  for (let i = 0; i < m; i++) trace += A[i * m + i];
  const delta = (ridge * trace) / m || ridge;
  for (let i = 0; i < m; i++) {
    A[i * m + i] += delta;
    for (let j = 0; j < i; j++) A[i * m + j] = A[j * m + i];
  }
  const L = cholesky(A, m);
  return choleskySolve(L, m, B, k);
}

/** Lower-triangular L with A = L L^T (A symmetric positive definite, m x m). */
function cholesky(A: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j];
      for (let q = 0; q < j; q++) s -= L[i * m + q] * L[j * m + q];
      if (i === j) {
        if (!(s > 0))
          throw new Error(
            `leastSquares: Phi^T Phi is not positive definite at column ${i}; raise ridge or use more points than features`,
          );
        L[i * m + i] = Math.sqrt(s);
      } else L[i * m + j] = s / L[j * m + j];
    }
  }
  return L;
}

/** X (m, k) with L L^T X = B. */
function choleskySolve(L: Float64Array, m: number, B: Float64Array, k: number): Float64Array {
  const X = Float64Array.from(B);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < m; i++) {
      // forward: L z = b
      let s = X[i * k + c];
      for (let q = 0; q < i; q++) s -= L[i * m + q] * X[q * k + c];
      X[i * k + c] = s / L[i * m + i];
    }
    for (let i = m - 1; i >= 0; i--) {
      // back: L^T x = z
      let s = X[i * k + c];
      for (let q = i + 1; q < m; q++) s -= L[q * m + i] * X[q * k + c];
      X[i * k + c] = s / L[i * m + i];
    }
  }
  return X;
}

/**
 * Set a PirateNet's output kernel to the least-squares fit of y at x on its current features
 * (do it before training, while every alpha is 0). The output bias is kept.
 * @param x (N, d) points; y (N, outputs) values; returns the fit's relative residual ||Phi W + b - y|| / ||y||.
 */
export function fitOutputLayer(net: PirateNetwork, x: tf.Tensor2D, y: tf.Tensor2D, ridge?: number): number {
  const k = net.outputs;
  if (y.rank !== 2 || y.shape[0] !== x.shape[0] || y.shape[1] !== k) {
    throw new Error(
      `fitOutputLayer: y must be (${x.shape[0]}, ${k}) for x (${x.shape[0]}, ${x.shape[1]}), got [${y.shape}]`,
    );
  }
  const [phi, target] = tf.tidy(() => {
    const f = net.features(x);
    return [f.dataSync(), tf.sub(y, net.outputLayer.bias).dataSync()];
  });
  const n = x.shape[0];
  const m = phi.length / n;
  const W = leastSquares(Float64Array.from(phi), n, m, Float64Array.from(target), k, ridge);
  net.outputLayer.setKernel(Float32Array.from(W));
  let res = 0;
  let norm = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += phi[r * m + i] * W[i * k + c];
      res += (s - target[r * k + c]) ** 2;
      norm += target[r * k + c] ** 2;
    }
  }
  return Math.sqrt(res / (norm || 1));
}

/**
 * Activations with their derivatives, elementwise on float64 (from-scratch path).
 * Softmax is handled by the network together with cross-entropy (delta = a - t).
 */

/** f and f' of the pre-activation z. */
export interface ScratchActivation {
  readonly name: string;
  f(z: number): number;
  df(z: number): number;
}

const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** The course's activations (leaky slope 0.01). */
export const SCRATCH_ACTIVATIONS: Readonly<Record<string, ScratchActivation>> = {
  identity: { name: 'identity', f: (z) => z, df: () => 1 },
  sigmoid: { name: 'sigmoid', f: sig, df: (z) => sig(z) * (1 - sig(z)) },
  tanh: { name: 'tanh', f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 },
  relu: { name: 'relu', f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) },
  leakyRelu: { name: 'leakyRelu', f: (z) => (z > 0 ? z : 0.01 * z), df: (z) => (z > 0 ? 1 : 0.01) },
};

/** Row-wise softmax of an (n, k) row-major array, max-shifted. */
export function softmaxRows(z: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, z[i * k + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += out[i * k + j] = Math.exp(z[i * k + j] - m);
    for (let j = 0; j < k; j++) out[i * k + j] /= s;
  }
  return out;
}

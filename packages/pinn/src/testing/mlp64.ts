/**
 * Test oracle: a float64 MLP in plain JavaScript (no tfjs) and central finite differences,
 * to check the derivative engines and weight gradients against an independent computation.
 */
import type { ActivationName } from '@aml/core';
import { erf } from '../problems/erf';

/** erf in float64 (the same function compiled expressions use). */
export const erf64 = erf;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));

/** The activations in float64 (the same definitions as @aml/core's). */
export const ACT64: Record<ActivationName, (x: number) => number> = {
  identity: (x) => x,
  sigmoid,
  tanh: Math.tanh,
  relu: (x) => Math.max(0, x),
  leakyRelu: (x) => (x > 0 ? x : 0.01 * x),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  gelu: (x) => 0.5 * x * (1 + erf64(x / Math.SQRT2)),
  geluTanh: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  silu: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(softplus(x)),
  softplus,
  sin: Math.sin,
};

/** Weights as plain arrays: W[l] is (in, out) row-major, b[l] has length out. */
export interface Mlp64 {
  readonly W: Float64Array[];
  readonly b: Float64Array[];
  readonly shapes: [number, number][];
  readonly activation: ActivationName;
}

/** Forward pass of one point in float64: (d) -> (m). */
export function forward64(net: Mlp64, x: readonly number[]): number[] {
  const act = ACT64[net.activation];
  let h = x.slice();
  net.W.forEach((W, l) => {
    const [inw, outw] = net.shapes[l];
    const z = new Array<number>(outw);
    for (let o = 0; o < outw; o++) {
      let s = net.b[l][o];
      for (let i = 0; i < inw; i++) s += h[i] * W[i * outw + o];
      z[o] = l < net.W.length - 1 ? act(s) : s;
    }
    h = z;
  });
  return h;
}

/**
 * Central finite-difference derivative of f at x: [] value, [i] first, [i, j] second
 * (4-point stencil for mixed, 3-point for pure).
 */
export function fdDerivative(
  f: (x: number[]) => number[],
  x: readonly number[],
  index: readonly number[],
  h = 1e-4,
): number[] {
  const at = (shifts: [number, number][]) => {
    const y = x.slice();
    for (const [i, s] of shifts) y[i] += s;
    return f(y);
  };
  const comb = (terms: [number, number[]][]) =>
    terms[0][1].map((_, k) => terms.reduce((acc, [c, v]) => acc + c * v[k], 0));
  if (index.length === 0) return f(x.slice());
  if (index.length === 1) {
    const i = index[0];
    return comb([
      [1 / (2 * h), at([[i, h]])],
      [-1 / (2 * h), at([[i, -h]])],
    ]);
  }
  const [i, j] = index;
  if (i === j)
    return comb([
      [1 / (h * h), at([[i, h]])],
      [-2 / (h * h), at([])],
      [1 / (h * h), at([[i, -h]])],
    ]);
  const c = 1 / (4 * h * h);
  return comb([
    [
      c,
      at([
        [i, h],
        [j, h],
      ]),
    ],
    [
      -c,
      at([
        [i, h],
        [j, -h],
      ]),
    ],
    [
      -c,
      at([
        [i, -h],
        [j, h],
      ]),
    ],
    [
      c,
      at([
        [i, -h],
        [j, -h],
      ]),
    ],
  ]);
}

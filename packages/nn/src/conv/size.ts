/**
 * Convolution arithmetic (Dumoulin & Visin 2016), the course's formulas.
 */

/**
 * Output size of a convolution or pooling along one axis: (W - F + 2P)/S + 1.
 * Throws, naming the numbers, when the filter does not tile the padded input.
 *
 * @example convOutputSize(28, 5, 2, 1) // 28
 */
export function convOutputSize(W: number, F: number, P: number, S: number, layer = 'conv'): number {
  const o = (W - F + 2 * P) / S + 1;
  if (!Number.isInteger(o) || o < 1) {
    throw new Error(
      `${layer}: output size (W - F + 2P)/S + 1 = (${W} - ${F} + 2*${P})/${S} + 1 = ${o} is not a positive integer; change the padding or stride`,
    );
  }
  return o;
}

/** Output size of a transposed convolution along one axis: (W - 1) S - 2P + F. */
export function convTransposeOutputSize(W: number, F: number, P: number, S: number): number {
  return (W - 1) * S - 2 * P + F;
}

/** Parameters of a conv layer with K filters of F x F over D1 channels: F*F*D1*K + K. */
export function convParamCount(F: number, D1: number, K: number): number {
  return F * F * D1 * K + K;
}

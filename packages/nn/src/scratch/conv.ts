/**
 * From-scratch 2D convolution (cross-correlation, as in every deep-learning library) by im2col,
 * forward and backward, in plain TypeScript. Layout NCHW as in the course's NumPy code.
 *
 * Output size per axis: Ho = (H - Fh + 2 Ph) / Sh + 1 (must be an integer).
 * im2col unrolls every receptive field into a row: cols (N*Ho*Wo, C*Fh*Fw). With the kernel as
 * Kmat (K, C*Fh*Fw):
 *   forward   Y = cols Kmat^T + b                       -> (N, K, Ho, Wo)
 *   backward  dKmat = dY^T cols,   db = sum dY,   dcols = dY Kmat,   dX = col2im(dcols)
 * where col2im adds each row's entries back to the input pixels they came from.
 */
import { type Mat, mat, matmul } from './matrix';

/** Geometry of a convolution. */
export interface ConvGeometry {
  /** Input channels, height, width. */
  readonly C: number;
  readonly H: number;
  readonly W: number;
  /** Output channels (number of kernels). */
  readonly K: number;
  /** Kernel height and width (non-square allowed, e.g. 7x1). */
  readonly Fh: number;
  readonly Fw: number;
  /** Strides (vertical, horizontal; default 1). */
  readonly Sh?: number;
  readonly Sw?: number;
  /** Zero padding on each side (default 0). */
  readonly Ph?: number;
  readonly Pw?: number;
}

/** Output height and width, or a clear error when the geometry does not tile. */
export function convOutSize(g: ConvGeometry): [number, number] {
  const [Sh, Sw, Ph, Pw] = [g.Sh ?? 1, g.Sw ?? 1, g.Ph ?? 0, g.Pw ?? 0];
  const ho = (g.H - g.Fh + 2 * Ph) / Sh + 1;
  const wo = (g.W - g.Fw + 2 * Pw) / Sw + 1;
  if (!Number.isInteger(ho) || !Number.isInteger(wo) || ho < 1 || wo < 1) {
    throw new Error(
      `scratchConv: (H - F + 2P)/S + 1 must be a positive integer; got height ${ho}, width ${wo} for H=${g.H}, W=${g.W}, F=${g.Fh}x${g.Fw}, P=${Ph},${Pw}, S=${Sh},${Sw}`,
    );
  }
  return [ho, wo];
}

/** Unroll X (N, C, H, W) into cols (N*Ho*Wo, C*Fh*Fw); out-of-image (padding) entries are 0. */
export function im2col(X: Float64Array, N: number, g: ConvGeometry): Mat {
  const [Ho, Wo] = convOutSize(g);
  const [Sh, Sw, Ph, Pw] = [g.Sh ?? 1, g.Sw ?? 1, g.Ph ?? 0, g.Pw ?? 0];
  const cols = mat(N * Ho * Wo, g.C * g.Fh * g.Fw);
  const d = cols.data;
  let r = 0;
  for (let n = 0; n < N; n++)
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++, r++) {
        let c = r * cols.cols;
        for (let ch = 0; ch < g.C; ch++)
          for (let u = 0; u < g.Fh; u++)
            for (let v = 0; v < g.Fw; v++, c++) {
              const y = i * Sh + u - Ph,
                x = j * Sw + v - Pw;
              if (y >= 0 && y < g.H && x >= 0 && x < g.W) d[c] = X[((n * g.C + ch) * g.H + y) * g.W + x];
            }
      }
  return cols;
}

/** Adjoint of im2col: add each row of dcols back into dX (N, C, H, W). */
export function col2im(dcols: Mat, N: number, g: ConvGeometry): Float64Array {
  const [Ho, Wo] = convOutSize(g);
  const [Sh, Sw, Ph, Pw] = [g.Sh ?? 1, g.Sw ?? 1, g.Ph ?? 0, g.Pw ?? 0];
  const dX = new Float64Array(N * g.C * g.H * g.W);
  let r = 0;
  for (let n = 0; n < N; n++)
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++, r++) {
        let c = r * dcols.cols;
        for (let ch = 0; ch < g.C; ch++)
          for (let u = 0; u < g.Fh; u++)
            for (let v = 0; v < g.Fw; v++, c++) {
              const y = i * Sh + u - Ph,
                x = j * Sw + v - Pw;
              if (y >= 0 && y < g.H && x >= 0 && x < g.W) dX[((n * g.C + ch) * g.H + y) * g.W + x] += dcols.data[c];
            }
      }
  return dX;
}

/** Rows (n, i, j) x K of a matrix <-> NCHW (N, K, Ho, Wo). */
function rowsToNchw(Y: Mat, N: number, K: number, Ho: number, Wo: number): Float64Array {
  const out = new Float64Array(N * K * Ho * Wo);
  for (let n = 0; n < N; n++)
    for (let p = 0; p < Ho * Wo; p++)
      for (let k = 0; k < K; k++) out[(n * K + k) * Ho * Wo + p] = Y.data[(n * Ho * Wo + p) * K + k];
  return out;
}
function nchwToRows(D: Float64Array, N: number, K: number, Ho: number, Wo: number): Mat {
  const M = mat(N * Ho * Wo, K);
  for (let n = 0; n < N; n++)
    for (let p = 0; p < Ho * Wo; p++)
      for (let k = 0; k < K; k++) M.data[(n * Ho * Wo + p) * K + k] = D[(n * K + k) * Ho * Wo + p];
  return M;
}

/**
 * Forward: X (N, C, H, W), kernel (K, C, Fh, Fw), bias (K) -> Y (N, K, Ho, Wo).
 * Returns the cols for the backward pass.
 */
export function scratchConvForward(
  X: Float64Array,
  N: number,
  kernel: Float64Array,
  bias: Float64Array,
  g: ConvGeometry,
): { Y: Float64Array; cols: Mat } {
  if (X.length !== N * g.C * g.H * g.W)
    throw new Error(`scratchConv: expected input of ${N}x${g.C}x${g.H}x${g.W} values, got ${X.length}`);
  const [Ho, Wo] = convOutSize(g);
  const cols = im2col(X, N, g);
  const Kmat = mat(g.K, g.C * g.Fh * g.Fw, kernel);
  const Y = matmul(cols, Kmat, false, true);
  for (let r = 0; r < Y.rows; r++) for (let k = 0; k < g.K; k++) Y.data[r * g.K + k] += bias[k];
  return { Y: rowsToNchw(Y, N, g.K, Ho, Wo), cols };
}

/** Backward: given dY (N, K, Ho, Wo), return dX (N, C, H, W), dKernel (K, C, Fh, Fw), dBias (K). */
export function scratchConvBackward(dY: Float64Array, N: number, kernel: Float64Array, cols: Mat, g: ConvGeometry) {
  const [Ho, Wo] = convOutSize(g);
  const D = nchwToRows(dY, N, g.K, Ho, Wo); // (N*Ho*Wo, K)
  const Kmat = mat(g.K, g.C * g.Fh * g.Fw, kernel);
  const dKernel = matmul(D, cols, true, false).data; // (K, C*Fh*Fw)
  const dBias = new Float64Array(g.K);
  for (let r = 0; r < D.rows; r++) for (let k = 0; k < g.K; k++) dBias[k] += D.data[r * g.K + k];
  const dX = col2im(matmul(D, Kmat), N, g);
  return { dX, dKernel, dBias };
}

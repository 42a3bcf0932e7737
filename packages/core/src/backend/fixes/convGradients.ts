/**
 * Conv2D filter gradients written with forward convolutions, installed as the gradients of
 * Conv2D and Conv2DBackpropInput (conv2dTranspose) while the wasm backend runs (see registry.ts);
 * tfjs's own gradients are put back when another backend starts.
 *
 * Why: the wasm backend has no Conv2DBackpropFilter kernel, so no convnet could train on it.
 * The filter gradient is itself a convolution: with the input padded as the forward pass pads it,
 *   dW[kh, kw, ci, co] = sum_{n, oh, ow} x[n, oh*s + kh, ow*s + kw, ci] dy[n, oh, ow, co],
 * i.e. a convolution of x (batch and channel axes swapped) with dy used as a filter dilated by
 * the stride. Checked against the cpu backend's Conv2DBackpropFilter in convGradients.test.ts.
 */
import { tf } from '../../tf';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: [number, number] | number | undefined): [number, number] =>
  v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v;

/**
 * Gradient of conv2d(x, W) with respect to W, given the output gradient dy.
 * @param x  (N, H, W, Ci)   @param dy (N, OH, OW, Co)   @returns (KH, KW, Ci, Co)
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  attrs: ConvAttrs,
): tf.Tensor4D {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') {
    throw new Error(`conv2d filter gradient: dataFormat ${attrs.dataFormat} is not supported; use NHWC`);
  }
  const [sh, sw] = pair(attrs.strides);
  const [dh, dw] = pair(attrs.dilations);
  if (dh !== 1 || dw !== 1) throw new Error('conv2d filter gradient: dilations > 1 are not supported in gradients');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    [sh, sw],
    [1, 1],
    attrs.pad as 'same',
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw] = filterShape;
  return tf.tidy(() => {
    const { top, bottom, left, right } = info.padInfo;
    const xp =
      top || bottom || left || right
        ? tf.pad(x, [
            [0, 0],
            [top, Math.max(bottom, 0)],
            [left, Math.max(right, 0)],
            [0, 0],
          ])
        : x;
    const xT = tf.transpose(xp, [3, 1, 2, 0]); // (Ci, Hp, Wp, N): channels become the batch
    const f = tf.transpose(dy, [1, 2, 0, 3]); // (OH, OW, N, Co): dy becomes the filter
    const g = tf.conv2d(xT as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid', 'NHWC', [sh, sw]); // (Ci, >=KH, >=KW, Co)
    const cut = tf.slice(g, [0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(cut, [1, 2, 0, 3]) as tf.Tensor4D; // (KH, KW, Ci, Co)
  });
}

/** tfjs's own gradients, kept so they can be put back for backends that have the native kernel. */
let originals: { conv: tf.GradConfig | undefined; input: tf.GradConfig | undefined } | undefined;
let installed = false;

/** Put tfjs's own Conv2D and Conv2DBackpropInput gradients back (idempotent). */
export function restoreConvGradients(): void {
  if (!installed || !originals) return;
  installed = false;
  for (const [name, g] of [
    ['Conv2D', originals.conv],
    ['Conv2DBackpropInput', originals.input],
  ] as const) {
    tf.unregisterGradient(name);
    if (g) tf.registerGradient(g);
  }
}

/** True while the forward-convolution gradients replace tfjs's own. */
export function convGradientsInstalled(): boolean {
  return installed;
}

/** Install the Conv2D and Conv2DBackpropInput gradients built from forward convolutions (idempotent). */
export function installConvGradients(): void {
  if (installed) return;
  installed = true;
  originals ??= { conv: tf.getGradient('Conv2D'), input: tf.getGradient('Conv2DBackpropInput') };
  tf.unregisterGradient('Conv2D');
  tf.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as ConvAttrs;
      const [dh, dw] = pair(a.dilations);
      if (dh !== 1 || dw !== 1) throw new Error('conv2d gradient: dilations > 1 are not supported in gradients');
      return {
        x: () => tf.conv2dTranspose(dy as tf.Tensor4D, filter, x.shape, a.strides, a.pad as 'same', a.dimRoundingMode),
        filter: () => conv2dFilterGradient(x, dy as tf.Tensor4D, filter.shape, a),
      };
    },
  });
  tf.unregisterGradient('Conv2DBackpropInput');
  tf.registerGradient({
    kernelName: 'Conv2DBackpropInput',
    inputsToSave: ['dy', 'filter'],
    gradFunc: (ddx, saved, attrs) => {
      const [dy, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as ConvAttrs;
      return {
        dy: () => tf.conv2d(ddx as tf.Tensor4D, filter, a.strides, a.pad as 'same', 'NHWC', 1, a.dimRoundingMode),
        filter: () => conv2dFilterGradient(ddx as tf.Tensor4D, dy, filter.shape, a),
      };
    },
  });
}

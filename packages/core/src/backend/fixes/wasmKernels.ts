/**
 * WASM kernel fixes, registered (not branched on): each replaces or adds one kernel of the
 * 'wasm' backend and is tested against the 'cpu' backend.
 *
 * Measured on this machine (tfjs 4.22, SIMD, 10,000 x 50 float32):
 * - BatchMatMul with transposeA is ~8x, with transposeB ~20x slower than an explicit Transpose
 *   followed by a plain matMul; tfjs's own matMul gradient uses the flags, so training pays it.
 * - Tanh is scalar code, ~7x slower than the vectorised Sigmoid; tanh(x) = 2 sigmoid(2x) - 1.
 * - UnsortedSegmentSum (graph networks' sum aggregation) has no wasm kernel at all.
 * - Conv2D with a numeric or explicit padding computes the wrong output shape and writes past its
 *   buffer (memory corruption, seen with a 7x1 filter and pad 1): pad explicitly, then 'valid'.
 * - Conv2DBackpropInput (conv2dTranspose, and the input gradient of every conv2d) is 3-12x slower
 *   than the forward Conv2D of the same size (64x16x16x32, 3x3x32x32: 124 ms vs 11 ms); it is
 *   itself a forward convolution of the stride-dilated, padded dy with the flipped filter, which
 *   is 2-10x faster from 4 input channels up (32x16x16x16, 3x3: 16.1 -> 1.7 ms).
 */
import { tf } from '../../tf';

type TensorInfo = tf.TensorInfo;
type KernelFunc = (args: {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackend;
  attrs?: Record<string, unknown>;
}) => TensorInfo;
/** The parts of tfjs-backend-wasm's BackendWasm that kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: unknown): boolean;
}

const registered = new Set<string>();

function original(name: string) {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm fixes: the wasm backend has no '${name}' kernel to wrap`);
  return k;
}

/** Replace a wasm kernel, keeping its setup function (which binds the wasm export). */
function replaceKernel(name: string, make: (prev: KernelFunc) => KernelFunc): void {
  const prev = original(name);
  const kernelFunc = make(prev.kernelFunc as unknown as KernelFunc);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...prev, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** matMul with transpose flags: transpose explicitly, then the fast plain kernel. */
function fixBatchMatMul(): void {
  replaceKernel('BatchMatMul', (prev) => (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return prev(args);
    const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc as unknown as KernelFunc;
    const swapLast = (t: TensorInfo) => {
      const r = t.shape.length;
      const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
      return transpose({ inputs: { x: t }, backend: args.backend, attrs: { perm } });
    };
    const temps: TensorInfo[] = [];
    let { a, b } = args.inputs;
    if (transposeA) temps.push((a = swapLast(a)));
    if (transposeB) temps.push((b = swapLast(b)));
    const out = prev({ ...args, inputs: { a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    for (const t of temps) args.backend.disposeData(t.dataId);
    return out;
  });
}

/** tanh(x) = 2 sigmoid(2x) - 1 on the vectorised Sigmoid kernel; a series near 0 keeps relative precision. */
function fixTanh(): void {
  replaceKernel('Tanh', () => ({ inputs, backend }) => {
    const x = inputs.x;
    if (x.dtype !== 'float32') throw new Error(`Tanh on wasm: float32 input expected, got ${x.dtype}`);
    const sigmoid = tf.getKernel('Sigmoid', 'wasm')!.kernelFunc as unknown as KernelFunc;
    const twoX = backend.makeOutput(x.shape, 'float32');
    const out = backend.makeOutput(x.shape, 'float32');
    {
      const xv = backend.typedArrayFromHeap(x),
        tv = backend.typedArrayFromHeap(twoX);
      for (let i = 0; i < xv.length; i++) tv[i] = 2 * xv[i];
    }
    const s = sigmoid({ inputs: { x: twoX }, backend });
    // views are taken after the last allocation: growing wasm memory detaches older ones
    const xv = backend.typedArrayFromHeap(x),
      sv = backend.typedArrayFromHeap(s),
      ov = backend.typedArrayFromHeap(out);
    for (let i = 0; i < xv.length; i++) {
      const v = xv[i];
      if (v > -0.05 && v < 0.05) {
        const v2 = v * v; // tanh x = x - x^3/3 + 2x^5/15 - 17x^7/315
        ov[i] = v * (1 + v2 * (-1 / 3 + v2 * (2 / 15 - (17 / 315) * v2)));
      } else ov[i] = 2 * sv[i] - 1;
    }
    backend.disposeData(twoX.dataId);
    backend.disposeData(s.dataId);
    return out;
  });
}

/** Sum rows of x into numSegments buckets: out[segmentIds[e]] += x[e]. */
function addUnsortedSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs;
    const numSegments = (attrs as { numSegments: number }).numSegments;
    if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm: float32 input expected, got ${x.dtype}`);
    const rows = x.shape[0];
    const width = x.shape.slice(1).reduce((p, q) => p * q, 1);
    const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
    const xv = backend.typedArrayFromHeap(x),
      ids = backend.typedArrayFromHeap(segmentIds),
      ov = backend.typedArrayFromHeap(out);
    ov.fill(0);
    for (let e = 0; e < rows; e++) {
      const s = ids[e];
      if (s < 0 || s >= numSegments) continue; // tf semantics: out-of-range ids are dropped
      const src = e * width,
        dst = s * width;
      for (let k = 0; k < width; k++) ov[dst + k] += xv[src + k];
    }
    return out;
  };
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  });
}

/** Conv2D with numeric/explicit padding: pad with the PadV2 kernel, then run the 'valid' convolution. */
function fixConv2DPadding(): void {
  replaceKernel('Conv2D', (prev) => (args) => {
    const attrs = args.attrs as { pad: unknown; dataFormat?: string };
    const pad = attrs.pad;
    if (pad === 'same' || pad === 'valid') return prev(args);
    if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') {
      throw new Error(`Conv2D on wasm: explicit padding needs NHWC, got ${attrs.dataFormat}`);
    }
    const paddings: [number, number][] =
      typeof pad === 'number'
        ? [
            [0, 0],
            [pad, pad],
            [pad, pad],
            [0, 0],
          ]
        : (pad as [number, number][]);
    const padKernel = tf.getKernel('PadV2', 'wasm')!.kernelFunc as unknown as KernelFunc;
    const xp = padKernel({
      inputs: { x: args.inputs.x },
      backend: args.backend,
      attrs: { paddings, constantValue: 0 },
    });
    const out = prev({ ...args, inputs: { ...args.inputs, x: xp }, attrs: { ...args.attrs, pad: 'valid' } });
    args.backend.disposeData(xp.dataId);
    return out;
  });
}

/**
 * conv2dTranspose as a forward convolution: dx[h] = sum_kh dy'[h + kh] W[KH-1-kh] (same in w),
 * where dy' is dy with stride-1 zeros between its rows/columns, padded by KH-1-top in front
 * (cropped where that is negative) and to the output size behind; the filter is flipped and its
 * channel axes swapped, (KH, KW, Ci, Co) -> (KH, KW, Co, Ci). Both are built in JS (one pass each).
 */
function fixConv2DBackpropInput(): void {
  replaceKernel('Conv2DBackpropInput', (prev) => (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    // With 1-3 input channels the forward conv has too few outputs per pixel to pay off
    // (32x16x16x1, 4x4 filter, stride 2: 2.4 ms vs the kernel's 0.5 ms).
    if (filter.shape[2] < 4) return prev(args);
    const a = attrs as {
      strides: [number, number] | number;
      pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
      dataFormat?: string;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: [number, number, number, number];
    };
    if (a.dataFormat && a.dataFormat !== 'NHWC')
      throw new Error(`Conv2DBackpropInput on wasm: dataFormat ${a.dataFormat} is not supported; use NHWC`);
    if (dy.dtype !== 'float32') throw new Error(`Conv2DBackpropInput on wasm: float32 dy expected, got ${dy.dtype}`);
    const [N, H, W, Ci] = a.inputShape;
    const [KH, KW, , Co] = filter.shape;
    const [OH, OW] = [dy.shape[1], dy.shape[2]];
    const info = tf.backend_util.computeConv2DInfo(
      [N, H, W, Ci],
      [KH, KW, Ci, Co],
      a.strides,
      1,
      a.pad as 'same',
      a.dimRoundingMode,
    );
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const [t0, l0] = [KH - 1 - info.padInfo.top, KW - 1 - info.padInfo.left]; // where dy[0, 0] lands in dy'
    const [Hp, Wp] = [H + KH - 1, W + KW - 1];
    const dyp = backend.makeOutput([N, Hp, Wp, Co], 'float32');
    const wf = backend.makeOutput([KH, KW, Co, Ci], 'float32');
    const conv = tf.getKernel('Conv2D', 'wasm')!.kernelFunc as unknown as KernelFunc;
    {
      // views after the last allocation: growing wasm memory detaches older ones
      const src = backend.typedArrayFromHeap(dy),
        dst = backend.typedArrayFromHeap(dyp);
      dst.fill(0);
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < OH; oh++) {
          const r = t0 + oh * sh;
          if (r < 0 || r >= Hp) continue;
          for (let ow = 0; ow < OW; ow++) {
            const c = l0 + ow * sw;
            if (c < 0 || c >= Wp) continue;
            const from = ((n * OH + oh) * OW + ow) * Co;
            dst.set(src.subarray(from, from + Co), ((n * Hp + r) * Wp + c) * Co);
          }
        }
      }
      const w = backend.typedArrayFromHeap(filter),
        f = backend.typedArrayFromHeap(wf);
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          const from = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * Ci * Co,
            to = (kh * KW + kw) * Co * Ci;
          for (let ci = 0; ci < Ci; ci++) for (let co = 0; co < Co; co++) f[to + co * Ci + ci] = w[from + ci * Co + co];
        }
      }
    }
    const out = conv({
      inputs: { x: dyp, filter: wf },
      backend,
      attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
    });
    backend.disposeData(dyp.dataId);
    backend.disposeData(wf.dataId);
    return out;
  });
}

/** Register the wasm fixes once (idempotent). Called by initBackend when wasm is chosen. */
export function registerWasmFixes(): void {
  if (registered.has('wasm')) return;
  registered.add('wasm');
  fixBatchMatMul();
  fixTanh();
  addUnsortedSegmentSum();
  fixConv2DPadding();
  fixConv2DBackpropInput();
}

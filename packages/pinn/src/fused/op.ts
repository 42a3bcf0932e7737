/**
 * The fused derivative kernel as a tfjs operation: kernel 'AmlFusedMlp' (forward) with a
 * registered gradient whose reverse pass is the kernel's own ('AmlFusedMlpGrad'). Both are
 * registered for the 'wasm' backend; `fusedMlpDerivatives` dispatches on whether the active
 * backend has the kernel, so callers never branch on the backend (others take tfjs ops).
 */
import { registerWasmKernel, tf, type WasmHeapBackend, type WasmKernelArgs } from '@aml/core';
import { planChannels, type ChannelPlan, type FusedActivation } from './plan';
import { loadRuntime, type FusedBuild, type FusedNetData } from './runtime';

export const FUSED_KERNEL = 'AmlFusedMlp';
export const FUSED_GRAD_KERNEL = 'AmlFusedMlpGrad';

/** Attributes of both kernels (plain data, as tfjs attrs must be). */
export interface FusedAttrs {
  /** [d, n_1, ..., m]. */
  readonly sizes: number[];
  readonly activation: FusedActivation;
  /** Channel plan: first-derivative input indices; pairs flattened [a0, b0, a1, b1, ...] (positions in first). */
  readonly first: number[];
  readonly pairs: number[];
  /** Third derivatives (i, i, i) flattened [a0, q0, ...]: i's position in first, the index of the pair (i, i). */
  readonly triples?: number[];
  /** Channels returned, in output order (after the tape handle). */
  readonly outChannels: number[];
  readonly threads: number;
  readonly blockSize: number;
  readonly build: FusedBuild;
  /** Keep the forward tape for the reverse pass (false outside gradient recording). */
  readonly keepTape: boolean;
  /**
   * The leading inputs are layer 0's whole input stack (one (N, sizes[0]) tensor per channel: an
   * embedding's value and input derivatives) instead of x; the gradient returns the stack's adjoint.
   */
  readonly inputStack?: boolean;
  /** Activation of each hidden layer when they differ (default: `activation` for all). */
  readonly activations?: FusedActivation[];
}

function planOf(a: FusedAttrs): ChannelPlan {
  const pairs: [number, number][] = [];
  for (let q = 0; q + 1 < a.pairs.length; q += 2) pairs.push([a.pairs[q], a.pairs[q + 1]]);
  const t = a.triples ?? [];
  const triples: [number, number][] = [];
  for (let q = 0; q + 1 < t.length; q += 2) triples.push([t[q], t[q + 1]]);
  return {
    first: a.first,
    pairs,
    triples,
    channelOf: [],
    channels: 1 + a.first.length + pairs.length + triples.length,
  };
}

/** How many inputs come before the weights: x, or the input stack's channels. */
function leadOf(a: FusedAttrs): number {
  return a.inputStack ? planOf(a).channels : 1;
}

/** Inputs are [x (or the stack's channels), W_0..W_{L-1}, b_0..b_{L-1}, ...]: read them off the tfjs heap (no copy). */
function netOf(be: WasmHeapBackend, ins: tf.TensorInfo[], a: FusedAttrs): FusedNetData {
  const L = a.sizes.length - 1;
  const k = leadOf(a);
  const f32 = (t: tf.TensorInfo) => be.typedArrayFromHeap(t) as Float32Array;
  return {
    sizes: a.sizes,
    activation: a.activation,
    activations: a.activations,
    weights: ins.slice(k, k + L).map(f32),
    biases: ins.slice(k + L, k + 2 * L).map(f32),
  };
}

/** The call's settings, with the input stack read off the tfjs heap when the op has one. */
function runOptions(be: WasmHeapBackend, ins: tf.TensorInfo[], a: FusedAttrs) {
  const stack = a.inputStack ? ins.slice(0, leadOf(a)).map((t) => be.typedArrayFromHeap(t) as Float32Array) : undefined;
  return { threads: a.threads, blockSize: a.blockSize, keepTape: a.keepTape, stack };
}

function out(be: WasmHeapBackend, shape: number[], data: ArrayLike<number>): tf.TensorInfo {
  const t = be.makeOutput(shape, 'float32');
  (be.typedArrayFromHeap(t) as Float32Array).set(data);
  return t;
}

function forwardKernel({ inputs: ins, backend: be, attrs: a }: WasmKernelArgs<FusedAttrs>): tf.TensorInfo[] {
  const n = ins[0].shape[0];
  const m = a.sizes[a.sizes.length - 1];
  const rt = loadRuntime(a.build);
  // All tfjs-heap reads happen inside forward() before makeOutput can grow (and move) that heap.
  const res = rt.forward(
    netOf(be, ins, a),
    be.typedArrayFromHeap(ins[0]) as Float32Array,
    n,
    planOf(a),
    a.outChannels,
    runOptions(be, ins, a),
  );
  const fields = res.outputs.map((o) => out(be, [n, m], o));
  const handle = be.makeOutput([1], 'int32');
  (be.typedArrayFromHeap(handle) as Int32Array)[0] = res.tape;
  return [handle, ...fields];
}

function gradKernel({ inputs: ins, backend: be, attrs: a }: WasmKernelArgs<FusedAttrs>): tf.TensorInfo[] {
  const L = a.sizes.length - 1;
  const k = leadOf(a);
  const n = ins[0].shape[0];
  const plan = planOf(a);
  const tape = (be.typedArrayFromHeap(ins[k + 2 * L]) as Int32Array)[0];
  const dys: (Float32Array | null)[] = new Array(plan.channels).fill(null);
  a.outChannels.forEach((c, r) => (dys[c] = be.typedArrayFromHeap(ins[k + 1 + 2 * L + r]) as Float32Array));
  const rt = loadRuntime(a.build);
  const g = rt.backward(netOf(be, ins, a), be.typedArrayFromHeap(ins[0]) as Float32Array, n, plan, tape, dys, {
    ...runOptions(be, ins, a),
    wantX: true,
  });
  const lead = g.stackBar ? g.stackBar.map((s) => out(be, [n, a.sizes[0]], s)) : [out(be, [n, a.sizes[0]], g.xbar!)];
  const gw = g.gradW.map((w, l) => out(be, [a.sizes[l], a.sizes[l + 1]], w));
  const gb = g.gradB.map((b, l) => out(be, [a.sizes[l + 1]], b));
  return [...lead, ...gw, ...gb];
}

let registered = false;

/** Register the kernels (wasm) and the gradient, once. */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  registerWasmKernel(FUSED_KERNEL, forwardKernel);
  registerWasmKernel(FUSED_GRAD_KERNEL, gradKernel);
  tf.registerGradient({
    kernelName: FUSED_KERNEL,
    saveAllInputs: true,
    outputsToSave: [true], // the tape handle
    gradFunc: (dy, saved, attrs) => {
      const dys = dy as tf.Tensor[];
      const nIn = saved.length - 1;
      // [x (or the stack's channels), W.., b.., handle, dy per returned channel]; unused outputs arrive as zeros.
      const grads = tf
        .engine()
        .runKernel(
          FUSED_GRAD_KERNEL,
          [...saved, ...dys.slice(1)] as unknown as tf.NamedTensorMap,
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
      const res: Record<string, () => tf.Tensor> = {};
      for (let i = 0; i < nIn; i++) res[String(i)] = () => grads[i];
      return res;
    },
  });
}

/** True when the active backend runs the fused kernel. */
export function backendHasFusedKernel(): boolean {
  registerFusedKernels();
  return tf.getKernel(FUSED_KERNEL, tf.getBackend()) !== undefined;
}

/** Settings of one fused call. */
export interface FusedCallOptions {
  readonly threads: number;
  readonly blockSize: number;
  readonly build: FusedBuild;
}

/**
 * Run the fused kernel (the caller has checked support): x (N, d), weights W_l (n_l, n_{l+1}),
 * biases b_l (n_{l+1}) -> one (N, m) tensor per request. Differentiable w.r.t. all inputs.
 * With `input.stack` (one (N, n_0) tensor per channel of `planChannels(requests)`: an embedding's
 * value, its first derivatives, its second derivatives), layer 0 takes that stack instead of
 * x's, and the gradient flows into the stack's tensors (x only gives N and the directions).
 * `input.activations` gives each hidden layer its own activation.
 */
export function runFusedKernel(
  weights: readonly tf.Tensor[],
  biases: readonly tf.Tensor[],
  activation: FusedActivation,
  x: tf.Tensor2D,
  requests: readonly (readonly number[])[],
  opt: FusedCallOptions,
  input: { readonly stack?: readonly tf.Tensor2D[]; readonly activations?: readonly FusedActivation[] } = {},
): tf.Tensor2D[] {
  const stack = input.stack;
  registerFusedKernels();
  const plan = planChannels(requests);
  const outChannels = [...new Set(plan.channelOf)];
  if (stack && stack.length !== plan.channels)
    throw new Error(`fused kernel: the input stack has ${stack.length} channels; these requests need ${plan.channels}`);
  const attrs: FusedAttrs = {
    sizes: [stack ? (stack[0].shape[1] as number) : x.shape[1], ...weights.map((w) => w.shape[1] as number)],
    activation,
    first: [...plan.first],
    pairs: plan.pairs.flatMap(([p, q]) => [p, q]),
    triples: (plan.triples ?? []).flatMap(([p, q]) => [p, q]),
    outChannels,
    threads: opt.threads,
    blockSize: opt.blockSize,
    build: opt.build,
    keepTape: tf.engine().isTapeOn(),
    inputStack: stack !== undefined,
    ...(input.activations ? { activations: [...input.activations] } : {}),
  };
  const outs = tf
    .engine()
    .runKernel(
      FUSED_KERNEL,
      [...(stack ?? [x]), ...weights, ...biases] as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
  outs[0].dispose(); // the tape handle: the gradient keeps its own reference
  const used = new Set<number>();
  return plan.channelOf.map((c) => {
    const t = outs[1 + outChannels.indexOf(c)] as tf.Tensor2D;
    if (used.has(c)) return tf.clone(t); // a repeated request gets its own tensor
    used.add(c);
    return t;
  });
}

/**
 * Kernels of the tfjs 'wasm' backend written by this project: the backend object they receive, their
 * registration, and embedded WebAssembly modules linked to the backend's own memory, so a module reads and
 * writes tensors where they live on the heap (no copy in or out).
 *
 * Browser-safe: nothing here imports a Node built-in.
 *
 * @example
 *   const mod = { name: 'adam', base64: ADAM_WASM_BASE64, exports: ['adam'] };
 *   registerWasmKernel<AdamAttrs>('AmlAdamUpdate', ({ inputs, backend, attrs }) => {
 *     const linked = linkWasmModule<{ adam: AdamFn }>(mod, backend); // null: the JavaScript loop does the work
 *     ...
 *   });
 */
import { tf } from '../tf';

/** A WebAssembly.Memory (typed here: the project's TypeScript libs do not declare WebAssembly). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** The parts of tfjs-backend-wasm's backend object (BackendWasm) that kernels working on its heap use. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of a tensor on the heap, valid until the next allocation (growing the memory detaches it). */
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: unknown): boolean;
  /** Where each tensor lives on the heap (its byte offset). */
  dataIdMap?: { get(id: unknown): { memoryOffset: number } | undefined };
  /** The backend's Emscripten module; its memory sits under `asm` or `wasmExports` depending on the build. */
  wasm?: { asm?: { memory?: WasmMemory }; wasmExports?: { memory?: WasmMemory } };
}

/** A kernel's arguments as tfjs passes them on the wasm backend, typed. */
export interface WasmKernelArgs<A> {
  readonly inputs: tf.TensorInfo[];
  readonly backend: WasmHeapBackend;
  readonly attrs: A;
}

/** True when `backend` is a tfjs 'wasm' backend object (it keeps tensors on a WebAssembly heap). */
export function isWasmHeapBackend(backend: unknown): backend is WasmHeapBackend {
  const b = backend as Partial<WasmHeapBackend> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.typedArrayFromHeap === 'function' &&
    typeof b.makeOutput === 'function'
  );
}

/**
 * Register `kernel` as `kernelName` on the 'wasm' backend (tfjs passes inputs as an array when the op was run
 * with one, attrs as given). Other backends do not get it: `tf.getKernel(kernelName, tf.getBackend())` tells.
 */
export function registerWasmKernel<A>(
  kernelName: string,
  kernel: (args: WasmKernelArgs<A>) => tf.TensorInfo | tf.TensorInfo[],
): void {
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ((args: { inputs: unknown; backend: unknown; attrs?: unknown }) =>
      kernel({
        inputs: args.inputs as tf.TensorInfo[],
        backend: args.backend as WasmHeapBackend,
        attrs: args.attrs as A,
      })) as unknown as tf.KernelFunc,
  });
}

/** An embedded WebAssembly module that imports the backend's memory as `env.memory`. */
export interface EmbeddedWasmModule {
  /** Named in errors (e.g. 'adam'). */
  readonly name: string;
  /** The module's bytes, base64. */
  readonly base64: string;
  /** The functions it must export. */
  readonly exports: readonly string[];
}

/** The WebAssembly constructors used here. */
interface WebAssemblyLike {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

/** Per backend object: the memory linked against and each module's exports by its bytes (null: it does not link there). */
const linked = new WeakMap<object, { memory: WasmMemory; modules: Map<string, Record<string, unknown> | null> }>();

/**
 * `mod` instantiated on `backend`'s own memory (imports `{ env: { memory } }`), cached per backend object and
 * module bytes; its exports, or null when the memory is not reachable (another tfjs-backend-wasm build) or the module
 * does not link to it (a shared, threaded heap): the caller then does the work another way. Throws when
 * `backend` is not the 'wasm' backend, or when the module lacks one of `mod.exports`.
 */
export function linkWasmModule<E extends object>(mod: EmbeddedWasmModule, backend: unknown): E | null {
  if (!isWasmHeapBackend(backend))
    throw new Error(
      `WASM module '${mod.name}' links only to the tfjs 'wasm' backend (the active backend is '${tf.getBackend()}'); ` +
        `start it with initBackend({ backend: 'wasm' }), or check tf.getBackend() === 'wasm' before calling`,
    );
  const memory = backend.wasm?.asm?.memory ?? backend.wasm?.wasmExports?.memory;
  if (!memory || !backend.dataIdMap) return null;
  let entry = linked.get(backend);
  if (!entry || entry.memory !== memory) {
    entry = { memory, modules: new Map() };
    linked.set(backend, entry);
  }
  let exports = entry.modules.get(mod.base64);
  if (exports === undefined) {
    const WA = (globalThis as unknown as { WebAssembly: WebAssemblyLike }).WebAssembly;
    try {
      const compiled = new WA.Module(Uint8Array.from(atob(mod.base64), (c) => c.charCodeAt(0)));
      exports = new WA.Instance(compiled, { env: { memory } }).exports;
    } catch {
      exports = null;
    }
    entry.modules.set(mod.base64, exports);
  }
  if (exports) {
    const missing = mod.exports.filter((f) => typeof exports![f] !== 'function');
    if (missing.length)
      throw new Error(
        `WASM module '${mod.name}' does not export ${missing.join(', ')}; rebuild its embedded bytes from its source`,
      );
  }
  return exports as E | null;
}

/** The byte offset on the heap of a tensor of `backend` (for passing to a linked module). */
export function heapOffset(backend: WasmHeapBackend, t: tf.TensorInfo): number {
  const d = backend.dataIdMap?.get(t.dataId);
  if (!d) throw new Error('heapOffset: the tensor is not on this wasm backend (disposed, or made by another backend)');
  return d.memoryOffset;
}

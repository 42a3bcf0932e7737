/** Embedded WASM modules linked to the wasm backend's memory, and kernels registered on it. */
import { ADAM_WASM_BASE64 } from '../optim/adam-wasm';
import { tf } from '../tf';
import { initBackend } from './backend';
import { heapOffset, isWasmHeapBackend, linkWasmModule, registerWasmKernel, type WasmKernelArgs } from './wasm-module';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const ADAM = { name: 'adam', base64: ADAM_WASM_BASE64, exports: ['adam'] };

describe('linkWasmModule', () => {
  it('links an embedded module to the backend memory once per backend: the same exports on every call', () => {
    const be = tf.backend();
    expect(isWasmHeapBackend(be)).toBe(true);
    const a = linkWasmModule<{ adam: unknown }>(ADAM, be);
    expect(typeof a?.adam).toBe('function');
    expect(linkWasmModule(ADAM, be)).toBe(a);
    // a fresh literal with the same bytes hits the same cache entry
    expect(linkWasmModule({ ...ADAM }, be)).toBe(a);
  });

  it('the linked module works on tensors where they live on the heap', () => {
    // one Adam step on 4 elements (one SIMD vector), compared with the rule written out in float64
    const be = tf.backend();
    const adam = linkWasmModule<{ adam: (...a: number[]) => void }>(ADAM, be)!.adam;
    const w = tf.tensor1d([1, -2, 3, 0.5]);
    const g = tf.tensor1d([0.1, 0.2, -0.3, 0.4]);
    const z = tf.zeros([4]);
    const outs = [tf.zeros([4]), tf.zeros([4]), tf.zeros([4])].map((t) => tf.add(t, 0)); // own buffers
    const at = (t: tf.Tensor) => heapOffset(be as never, t as unknown as tf.TensorInfo);
    const [lr, b1, b2, eps] = [0.1, 0.9, 0.999, 1e-8];
    const k1 = lr / (1 - b1),
      k2 = 1 / (1 - b2);
    adam(at(w), at(g), at(z), at(z), at(outs[0]), at(outs[1]), at(outs[2]), 4, b1, 1 - b1, b2, 1 - b2, k1, k2, eps);
    const wv = w.dataSync(),
      gv = g.dataSync();
    const want = Array.from(wv, (wi, i) => {
      const m = (1 - b1) * gv[i],
        v = (1 - b2) * gv[i] ** 2;
      return wi - (k1 * m) / (Math.sqrt(v * k2) + eps);
    });
    const got = Array.from(outs[0].dataSync());
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 5));
    expect(got[0]).toBeCloseTo(0.9, 5); // first Adam step: w - lr * sign(g)
    tf.dispose([w, g, z, ...outs]);
  });

  it('refuses a backend that is not wasm, naming the module and the fix', () => {
    expect(() => linkWasmModule(ADAM, {})).toThrow(
      "WASM module 'adam' links only to the tfjs 'wasm' backend (the active backend is 'wasm'); start it with initBackend({ backend: 'wasm' })",
    );
    expect(isWasmHeapBackend(null)).toBe(false);
  });

  it('returns null when the memory is out of reach or the module does not link', () => {
    const fake = { makeOutput: () => ({}), typedArrayFromHeap: () => new Float32Array(0), disposeData: () => true };
    expect(linkWasmModule(ADAM, fake)).toBeNull(); // no memory to link to
    const be = tf.backend();
    expect(linkWasmModule({ name: 'broken', base64: 'AGFzbQ==', exports: [] }, be)).toBeNull(); // a truncated module
  });

  it('names the module and the missing export', () => {
    expect(() => linkWasmModule({ ...ADAM, exports: ['adam', 'sgd'] }, tf.backend())).toThrow(
      "WASM module 'adam' does not export sgd; rebuild its embedded bytes from its source",
    );
  });
});

describe('registerWasmKernel', () => {
  it('registers on wasm only and passes inputs, backend and attrs typed', () => {
    const seen: number[] = [];
    registerWasmKernel<{ k: number }>('AmlTestScale', ({ inputs, backend, attrs }: WasmKernelArgs<{ k: number }>) => {
      seen.push(attrs.k);
      const out = backend.makeOutput([...inputs[0].shape], 'float32');
      const src = backend.typedArrayFromHeap(inputs[0]) as Float32Array;
      const dst = backend.typedArrayFromHeap(out) as Float32Array;
      for (let i = 0; i < src.length; i++) dst[i] = src[i] * attrs.k;
      return out;
    });
    expect(tf.getKernel('AmlTestScale', 'wasm')).toBeDefined();
    expect(tf.getKernel('AmlTestScale', 'cpu')).toBeUndefined();
    const x = tf.tensor1d([1, 2, -3]);
    const y = tf.engine().runKernel('AmlTestScale', [x] as unknown as tf.NamedTensorMap, { k: 2.5 }) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([2.5, 5, -7.5]);
    expect(seen).toEqual([2.5]);
    tf.dispose([x, y]);
    tf.unregisterKernel('AmlTestScale', 'wasm');
  });
});

describe('heapOffset', () => {
  it('is where the backend keeps the tensor; a tensor it does not hold is named as such', () => {
    const id = {};
    const be = {
      makeOutput: () => ({}) as tf.TensorInfo,
      typedArrayFromHeap: () => new Float32Array(0),
      disposeData: () => true,
      dataIdMap: new Map([[id, { memoryOffset: 4096 }]]),
    };
    expect(heapOffset(be, { dataId: id, shape: [1], dtype: 'float32' })).toBe(4096);
    expect(() => heapOffset(be, { dataId: {}, shape: [1], dtype: 'float32' })).toThrow(
      'heapOffset: the tensor is not on this wasm backend (disposed, or made by another backend)',
    );
  });
});

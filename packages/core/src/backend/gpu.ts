/**
 * Does tfjs-node-gpu really run on a GPU? `@tensorflow/tfjs-node-gpu` 4.22 is built against
 * CUDA 11.2 and cuDNN 8.1; when those libraries are missing it loads without an error and runs
 * every op on the CPU. Its backend knows whether TensorFlow found a GPU device
 * (`isUsingGpuDevice`, set by the native binding at start): ask it.
 */

/** What tfjs-node's backend object tells about its device (fields of NodeJSKernelBackend). */
export interface NativeBackendLike {
  /** True when libtensorflow placed ops on a GPU device. */
  readonly isUsingGpuDevice?: boolean;
  /** True when the loaded binding is the GPU build. */
  readonly isGPUPackage?: boolean;
}

/** The outcome of `checkNodeGpu`: `ok` with the device, or why the GPU is not used. */
export type GpuCheck = { readonly ok: true; readonly device: string } | { readonly ok: false; readonly reason: string };

/** The CUDA toolkit and cuDNN versions tfjs-node-gpu 4.22 was built against. */
export const NODE_GPU_NEEDS = 'CUDA 11.2 and cuDNN 8.1';

/**
 * Check that a loaded tfjs-node-gpu backend uses a GPU.
 * @param backend  `tf.backend()` after `tf.setBackend('tensorflow')` with tfjs-node-gpu loaded
 * @example checkNodeGpu(tf.backend() as NativeBackendLike) // { ok: false, reason: 'TensorFlow found no GPU ...' }
 */
export function checkNodeGpu(backend: NativeBackendLike): GpuCheck {
  if (backend.isGPUPackage === false) {
    return { ok: false, reason: 'the loaded libtensorflow is the CPU build (tfjs-node was loaded first)' };
  }
  if (backend.isUsingGpuDevice === true) return { ok: true, device: 'gpu' };
  if (backend.isUsingGpuDevice === false) {
    return {
      ok: false,
      reason:
        `TensorFlow found no GPU, so every op would run on the CPU: install the NVIDIA driver with ${NODE_GPU_NEEDS} ` +
        '(libcudart.so.11.0, libcudnn.so.8 on LD_LIBRARY_PATH), or use the node backend',
    };
  }
  return { ok: false, reason: 'the backend does not say whether it uses a GPU (is it tfjs-node-gpu 4.x?)' };
}

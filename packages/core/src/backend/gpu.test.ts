import { checkNodeGpu, NODE_GPU_NEEDS } from './gpu';

describe('checkNodeGpu: tfjs-node-gpu must really see a GPU', () => {
  it('a backend on a GPU device passes', () => {
    expect(checkNodeGpu({ isGPUPackage: true, isUsingGpuDevice: true })).toEqual({ ok: true, device: 'gpu' });
  });

  it('the GPU build without CUDA libraries (running on the CPU) is refused with the versions it needs', () => {
    const r = checkNodeGpu({ isGPUPackage: true, isUsingGpuDevice: false });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('TensorFlow found no GPU, so every op would run on the CPU');
    expect(!r.ok && r.reason).toContain(NODE_GPU_NEEDS);
    expect(NODE_GPU_NEEDS).toBe('CUDA 11.2 and cuDNN 8.1');
  });

  it('the CPU build, or a backend that does not say, is refused', () => {
    expect(checkNodeGpu({ isGPUPackage: false, isUsingGpuDevice: false })).toEqual({
      ok: false,
      reason: 'the loaded libtensorflow is the CPU build (tfjs-node was loaded first)',
    });
    expect(checkNodeGpu({}).ok).toBe(false);
  });
});

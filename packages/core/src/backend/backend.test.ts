import { initBackend, parseBackendChoice, backendInfo, requireKernels } from './backend';
import { tf } from '../tf';

describe('initBackend', () => {
  it('auto falls back past the native backends that cannot install here, saying why', async () => {
    const lines: string[] = [];
    const info = await initBackend({ backend: 'auto', log: (l) => lines.push(l) });
    expect(['node-gpu', 'node', 'wasm', 'cpu']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.tfjsName);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`backend: ${info.name}`);
    if (info.name === 'wasm') {
      expect(info.skipped.map((s) => s.name)).toEqual(['node-gpu', 'node']);
      expect(lines[0]).toMatch(/node-gpu: .*tfjs-node-gpu/);
      expect(info.details.simd).toBe(true);
    }
    expect(backendInfo()).toBe(info);
    // the engine computes correctly on whatever runs
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(y).toBe(11);
  });

  it('uses the environment variable when no option is given', async () => {
    const info = await initBackend({ env: { AML_BACKEND: 'cpu' }, quiet: true });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reads no environment variable unless the program passes env', async () => {
    const saved = process.env.AML_BACKEND;
    process.env.AML_BACKEND = 'cpu';
    try {
      const info = await initBackend({ quiet: true });
      expect(info.name).not.toBe('cpu'); // auto in Node reaches wasm before cpu
      expect(info.platform).toBe('node');
    } finally {
      if (saved === undefined) delete process.env.AML_BACKEND;
      else process.env.AML_BACKEND = saved;
    }
  });

  it('the option overrides the environment', async () => {
    const info = await initBackend({ backend: 'wasm', env: { AML_BACKEND: 'cpu' }, quiet: true });
    expect(info.name).toBe('wasm');
  });

  it('a named backend that cannot start fails with a clear message', async () => {
    await expect(initBackend({ backend: 'node-gpu', quiet: true })).rejects.toThrow(
      /backend 'node-gpu' is not available: @tensorflow\/tfjs-node-gpu is not installed/,
    );
  });

  it('an unknown backend name is rejected, naming the field and the valid values', () => {
    expect(() => parseBackendChoice('cuda')).toThrow(
      'backend: unknown backend "cuda"; use one of auto, node-gpu, node, webgpu, webgl, wasm, cpu',
    );
    return expect(initBackend({ env: { AML_BACKEND: 'gpu' } })).rejects.toThrow(/AML_BACKEND: unknown backend "gpu"/);
  });

  it('requireKernels names a missing kernel', async () => {
    await initBackend({ backend: 'cpu', quiet: true });
    expect(() => requireKernels(['BatchMatMul', 'NoSuchKernel'], 'test model')).toThrow(
      "test model needs kernel(s) NoSuchKernel, which backend 'cpu' does not have",
    );
  });
});

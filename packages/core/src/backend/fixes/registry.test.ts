import { tf } from '../../tf';
import { initBackend } from '../backend';
import { applyBackendFixes, fixesFor } from './registry';
import { convGradientsInstalled } from './convGradients';

describe('backend fixes are registered only for the backends that need them', () => {
  it('wasm gets its kernels and the conv filter gradient; cpu, webgl, libtensorflow and a stub get none', () => {
    expect(fixesFor('wasm')).toEqual(['wasm-kernels', 'conv2d-filter-gradient']);
    for (const name of ['cpu', 'webgl', 'webgpu', 'tensorflow', 'stub-native']) expect(fixesFor(name)).toEqual([]);
  });

  it("the conv gradient replaces tfjs's own on wasm and is put back for a native (stub) backend", async () => {
    await initBackend({ backend: 'cpu', quiet: true });
    const stock = tf.getGradient('Conv2D').gradFunc;
    await initBackend({ backend: 'wasm', quiet: true });
    expect(convGradientsInstalled()).toBe(true);
    expect(tf.getGradient('Conv2D').gradFunc).not.toBe(stock);

    const cpu = tf.findBackend('cpu') as unknown as { constructor: new () => tf.KernelBackend };
    tf.registerBackend('stub-native', () => new cpu.constructor());
    try {
      await tf.setBackend('stub-native');
      expect(applyBackendFixes('stub-native')).toEqual([]);
      expect(convGradientsInstalled()).toBe(false);
      expect(tf.getGradient('Conv2D').gradFunc).toBe(stock);
      expect(tf.getGradient('Conv2DBackpropInput')).toBeDefined();
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('stub-native');
    }
  });
});

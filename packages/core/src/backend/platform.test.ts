import { detectPlatform, AUTO_ORDER } from './platform';
import { initBackend, formatReport } from './backend';
import { tf } from '../tf';

/** Pretend to be a page: `window` and `document` exist, as in a browser. */
function withFakeBrowser<T>(f: () => Promise<T>): Promise<T> {
  const g = globalThis as Record<string, unknown>;
  g.window = g;
  g.document = {};
  return f().finally(() => {
    delete g.window;
    delete g.document;
  });
}

describe('backend order per platform', () => {
  it('Node is detected here; a page with window and document is a browser', async () => {
    expect(detectPlatform()).toBe('node');
    await withFakeBrowser(async () => expect(detectPlatform()).toBe('browser'));
    expect(AUTO_ORDER.browser).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(AUTO_ORDER.node).toEqual(['node-gpu', 'node', 'wasm', 'cpu']);
  });

  it('in a (fake) browser, auto tries webgpu, then webgl, then runs wasm, reported the same way', async () => {
    const lines: string[] = [];
    const info = await withFakeBrowser(() => initBackend({ log: (l) => lines.push(l) }));
    expect(info.platform).toBe('browser');
    expect(info.skipped.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
    expect(info.skipped[0].reason).toBe('this browser has no WebGPU (navigator.gpu)');
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual([formatReport(info)]);
    expect(lines[0]).toMatch(
      /^\[aml\] backend: wasm \[fixes=wasm-kernels\+conv2d-filter-gradient, simd=true, threads=false\] \(skipped: webgpu: .*; webgl: /,
    );
  });

  it('a browser backend named in Node fails naming the backend and the reason', async () => {
    await expect(initBackend({ backend: 'webgl', quiet: true })).rejects.toThrow(
      "backend 'webgl' is not available: backend 'webgl' is not registered (it registers only in a browser)",
    );
  });
});

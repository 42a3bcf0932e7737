import * as fs from 'node:fs';
import * as path from 'node:path';
import { planChannels } from './plan';
import { referenceForward } from './reference';
import { randomNet, randomPoints, relErr } from './testing';

type RuntimeModule = typeof import('./runtime');

/** A fresh copy of runtime.ts (its cache of loaded builds starts empty). */
function freshRuntime(): RuntimeModule {
  let m: RuntimeModule | undefined;
  jest.isolateModules(() => {
    m = require('./runtime') as RuntimeModule;
  });
  return m!;
}

/** A fetch serving `<base>fused-*.wasm` from the package's build folder, as a static server would. */
function fakeFetch(dir: string, seen: string[]) {
  return async (url: string) => {
    seen.push(url);
    const file = path.join(dir, url.replace('https://example.test/assets/', ''));
    if (!fs.existsSync(file)) return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    const b = fs.readFileSync(file);
    return {
      ok: true,
      status: 200,
      arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength),
    };
  };
}

describe('loadFusedKernel: the kernel by URL, as a browser loads it', () => {
  const g = globalThis as { fetch?: unknown };
  const saved = g.fetch;
  afterEach(() => {
    g.fetch = saved;
  });

  it('fetches a build, compiles it asynchronously and the runtime computes the float64 reference fields', async () => {
    const rt = freshRuntime();
    const seen: string[] = [];
    g.fetch = fakeFetch(rt.kernelDir(), seen);
    const build = await rt.loadFusedKernel('https://example.test/assets/');
    expect(['relaxed', 'simd']).toContain(build);
    expect(seen[0]).toBe('https://example.test/assets/fused-relaxed.wasm');
    const kernel = rt.loadRuntime(build);
    const { f32, f64 } = randomNet([2, 8, 1], 'tanh', 3);
    const x = randomPoints(20, 2, 4);
    const plan = planChannels([[], [0], [1, 1]]);
    const all = Array.from({ length: plan.channels }, (_, c) => c);
    const { outputs } = kernel.forward(f32, x, 20, plan, all, { threads: 1, blockSize: 16, keepTape: false });
    const want = referenceForward(f64, x, 20, plan);
    outputs.forEach((o, c) => expect(relErr(Float32Array.from(o), want[c])).toBeLessThan(1e-5));
  });

  it('a missing file fails naming the URL and the status', async () => {
    const rt = freshRuntime();
    g.fetch = fakeFetch('/nonexistent', []);
    await expect(rt.loadFusedKernel('https://example.test/assets/', 'simd')).rejects.toThrow(
      'fused kernel could not be loaded: https://example.test/assets/fused-simd.wasm: HTTP 404',
    );
  });
});

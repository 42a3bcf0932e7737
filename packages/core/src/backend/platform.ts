/**
 * Where the code runs, and so which backends `initBackend` tries in 'auto' mode.
 * Reads no environment variable: `process` is only looked at behind a `typeof` guard.
 */

/** `node` (Node, Bun, Deno with Node compatibility) or `browser` (a page or a web worker). */
export type Platform = 'node' | 'browser';

/** Every backend name `initBackend` knows, in no particular order. */
export const BACKEND_NAMES = ['node-gpu', 'node', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** One of `BACKEND_NAMES`. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The 'auto' order per platform: fastest first, pure JavaScript last. */
export const AUTO_ORDER: Readonly<Record<Platform, readonly BackendName[]>> = {
  node: ['node-gpu', 'node', 'wasm', 'cpu'],
  browser: ['webgpu', 'webgl', 'wasm', 'cpu'],
};

/**
 * Detect the platform: a page (`window` and `document`) or a web worker (`importScripts`) is a
 * browser, even when a bundler shims `process`; otherwise Node when `process.versions.node` exists.
 */
export function detectPlatform(): Platform {
  const g = globalThis as Record<string, unknown>;
  if ((typeof g.window === 'object' && typeof g.document === 'object') || typeof g.importScripts === 'function') {
    return 'browser';
  }
  const proc = g.process as { versions?: { node?: string } } | undefined;
  return proc?.versions?.node ? 'node' : 'browser';
}

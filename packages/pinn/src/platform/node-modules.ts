/**
 * Node built-ins this package uses (`fs`, `path`, `v8`, `worker_threads`), loaded on first use, so
 * the main entry bundles for a browser. In a page the fused kernel is loaded by URL
 * (`loadFusedKernel`), runs on one thread, and file functions (reference grids, weight files) fail
 * naming what they need.
 */
import type * as FsModule from 'node:fs';
import type * as PathModule from 'node:path';
import type * as V8Module from 'node:v8';
import type * as WorkerThreadsModule from 'node:worker_threads';

/** True in Node (CommonJS `require` and `process.versions.node`). */
export function inNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof require === 'function' && typeof proc?.versions?.node === 'string';
}

/** A Node built-in module, required on first property access (names held in variables so bundlers skip them). */
function lazy<T extends object>(name: string): T {
  let mod: T | undefined;
  const load = (): T => {
    if (mod) return mod;
    if (!inNode()) throw new Error(`this needs Node (${name}), which a browser does not have`);
    mod = require(name) as T;
    return mod;
  };
  return new Proxy({} as T, { get: (_, key) => (load() as Record<string | symbol, unknown>)[key] });
}

/** `node:fs`, loaded when first used. */
export const fs = lazy<typeof FsModule>('node:fs');
/** `node:path`, loaded when first used. */
export const path = lazy<typeof PathModule>('node:path');
/** `node:v8`, loaded when first used. */
export const v8 = lazy<typeof V8Module>('node:v8');
/** `node:worker_threads`, loaded when first used. */
export const workerThreads = lazy<typeof WorkerThreadsModule>('node:worker_threads');

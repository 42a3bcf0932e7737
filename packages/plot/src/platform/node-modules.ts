/**
 * Node's `fs` and `path`, loaded on first use, so the main entry bundles for a browser:
 * figures and a report's HTML (`Report.toHtml`) work anywhere; `Report.write` reaches the file system
 * only when called.
 */
import type * as FsModule from 'node:fs';
import type * as PathModule from 'node:path';

/** A Node built-in module, required on first property access (names held in variables so bundlers skip them). */
function lazy<T extends object>(name: string): T {
  let mod: T | undefined;
  const load = (): T => {
    if (mod) return mod;
    const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
    if (typeof require !== 'function' || !proc?.versions?.node) {
      throw new Error(
        `reading or writing files needs Node (${name}); in a browser, keep the page in memory (Report.toHtml() gives the page as a string)`,
      );
    }
    mod = require(name) as T;
    return mod;
  };
  return new Proxy({} as T, { get: (_, key) => (load() as Record<string | symbol, unknown>)[key] });
}

/** `node:fs`, loaded when first used. */
export const fs = lazy<typeof FsModule>('node:fs');
/** `node:path`, loaded when first used. */
export const path = lazy<typeof PathModule>('node:path');

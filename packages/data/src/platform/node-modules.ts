/**
 * Node's `fs`, `path` and `zlib`, loaded on first use. The in-memory parsers and formatters of this
 * package run anywhere; the functions that read or write files (`readCsv`, `readNpy`, `writeMat`, ...)
 * reach these modules only when called, so the main entry bundles for a browser and fails there
 * only if a page asks for a file path.
 */
import type * as FsModule from 'node:fs';
import type * as PathModule from 'node:path';
import type * as ZlibModule from 'node:zlib';

/** A Node built-in module, required on first property access (names held in variables so bundlers skip them). */
function lazy<T extends object>(name: string): T {
  let mod: T | undefined;
  const load = (): T => {
    if (mod) return mod;
    const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
    if (typeof require !== 'function' || !proc?.versions?.node) {
      throw new Error(
        `reading or writing files needs Node (${name}); in a browser, pass the file's bytes or text to a parser (parseCsv, parseNpy, parseNpz, parseMat)`,
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
/** `node:zlib`, loaded when first used. */
export const zlib = lazy<typeof ZlibModule>('node:zlib');

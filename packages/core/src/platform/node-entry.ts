/**
 * The Node-only half of `@aml/core` (file-system checkpoints, run folders, the terminal progress
 * bar), loaded on first use so that the main entry imports no Node built-in and bundles for a
 * browser. In Node the trainer's `checkpoint` and `resumeFrom` options work without any extra
 * import; in a browser they fail with a message saying why. Node programs may also import
 * `@aml/core/node` directly.
 */
import type * as NodeEntry from '../node';

/** The module `@aml/core/node`. */
export type CoreNodeEntry = typeof NodeEntry;

// Held in a variable so bundlers leave the require alone instead of pulling Node code into a page.
const NODE_ENTRY = '../node';

/** True when this code runs in Node (a `process` with `versions.node`, and CommonJS `require`). */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof require === 'function' && typeof proc?.versions?.node === 'string';
}

/**
 * Load `@aml/core/node`, or fail naming the feature that needs it.
 * @param what  the feature, for the message (e.g. `train: checkpoint`)
 * @example requireNode('train: resumeFrom').resumeRun(dir, run, batcher)
 */
export function requireNode(what: string): CoreNodeEntry {
  if (!isNode()) {
    throw new Error(
      `${what} reads or writes files, which needs Node; in a browser leave it out (a page has no folders)`,
    );
  }
  return require(NODE_ENTRY) as CoreNodeEntry;
}

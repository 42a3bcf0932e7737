/**
 * Per-run commands for TypeScript entry points. Every run pays Node's start-up, so the command uses
 * ts-node's SWC transpiler (about 0.3 s to start here, against about 1.8 s for the type-checking
 * default) and absolute paths (so it does not depend on where Slurm starts the job).
 */
import { shellQuote } from '../runs/script';

/**
 * `<node> <ts-node bin> --swc <script> <args>`, shell-quoted. ts-node is the repository's root dev
 * dependency (every script runs through it).
 * @param script absolute path of the entry point, e.g. `apps/pde-lab/src/main.ts` resolved.
 * @param args   the rest of the command, with placeholders, e.g. `run --config {config} --out {out}`.
 * @example tsNodeCommand(join(__dirname, 'main.ts'), 'run --config {config} --out {out}')
 */
export function tsNodeCommand(script: string, args: string): string {
  let bin: string;
  try {
    bin = require.resolve('ts-node/dist/bin.js');
  } catch {
    throw new Error('ts-node is not installed: run `npm ci` at the repository root (sweeps run TypeScript entry points through it)');
  }
  return `${shellQuote(process.execPath)} ${shellQuote(bin)} --swc ${shellQuote(script)} ${args}`;
}

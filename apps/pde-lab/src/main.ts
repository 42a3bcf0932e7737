#!/usr/bin/env -S npx ts-node
/**
 * Entry point of the `pde-lab` CLI (`npx ts-node apps/pde-lab/src/main.ts --help`).
 * Errors print as one clear message (no stack trace) and exit with status 1.
 */
import { CommanderError } from 'commander';
import { pinnAdapter } from './adapter/pinn';
import { buildProgram } from './cli/program';

async function main(): Promise<void> {
  const program = buildProgram({ adapter: pinnAdapter, out: (t) => process.stdout.write(t + '\n') });
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message (or the help) already.
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`pde-lab: ${(e as Error).message}\n`);
    if (process.env.PDE_LAB_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  }
}

void main();

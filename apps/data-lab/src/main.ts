#!/usr/bin/env -S npx ts-node --swc
/**
 * Entry point of the `data-lab` CLI (`npx ts-node apps/data-lab/src/main.ts --help`).
 * Errors print as one clear message (no stack trace; DATA_LAB_DEBUG=1 shows it) and exit with status 1.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './cli/program';
import { sweep } from './sweep';

async function main(): Promise<void> {
  const program = buildProgram({ out: (t) => process.stdout.write(t + '\n') }, [sweep]);
  program.exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode; // commander printed its message or the help already
      return;
    }
    process.stderr.write(`data-lab: ${(e as Error).message}\n`);
    if (process.env.DATA_LAB_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  }
}

void main();

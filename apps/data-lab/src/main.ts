#!/usr/bin/env -S npx ts-node --swc
/**
 * Entry point of the `data-lab` CLI (`npx ts-node apps/data-lab/src/main.ts --help`).
 * Errors print as one clear message (no stack trace; DATA_LAB_DEBUG=1 shows it). Exit status: 0 done,
 * 1 an error (bad input, options or file), 130 stopped by SIGINT (Ctrl-C), 143 by SIGTERM; an interrupted
 * analyze saves its state first and prints the command that resumes it.
 */
import { CommanderError } from 'commander';
import { InterruptedError } from '@aml/core/node';
import { buildProgram } from './cli/program';
import { errorMessage } from './cli/errors';
import { sweep } from './sweep';

async function main(): Promise<void> {
  const program = buildProgram({ out: (t) => process.stdout.write(t + '\n') }, [sweep]);
  program.exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode; // commander printed its message, the help or the version already
      return;
    }
    process.stderr.write(`data-lab: ${errorMessage(e)}\n`);
    if (process.env.DATA_LAB_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = e instanceof InterruptedError ? e.exitCode : 1;
  }
}

void main();

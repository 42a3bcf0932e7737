#!/usr/bin/env -S npx ts-node
/**
 * Entry point of the `pde-lab` CLI (`npx ts-node apps/pde-lab/src/main.ts --help`).
 * Every failure prints one message (no stack trace; PDE_LAB_DEBUG=1 adds it) and exits non-zero:
 * 1 bad input, 3 diverged, 130 / 143 interrupted (see `pde-lab run --help`).
 */
import { CommanderError } from 'commander';
import { watchSignals } from '@aml/core/node';
import { pinnAdapter } from './adapter/pinn';
import { friendlyError } from './cli/errors';
import { RunEndedError } from './cli/exit';
import { buildProgram } from './cli/program';
import { barProgress } from './progress/bar';

async function main(): Promise<void> {
  const program = buildProgram({
    adapter: pinnAdapter,
    out: (t) => process.stdout.write(t + '\n'),
    signals: (say) => watchSignals({ name: 'pde-lab', say }),
    bar: process.stderr.isTTY ? () => barProgress(process.stderr) : undefined,
  });
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message (or the help, or the version) already.
      process.exitCode = e.exitCode;
      return;
    }
    const err = friendlyError(e);
    process.stderr.write(`pde-lab: ${err.message}\n`);
    if (process.env.PDE_LAB_DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exitCode = e instanceof RunEndedError ? e.exitCode : 1;
  }
}

void main();

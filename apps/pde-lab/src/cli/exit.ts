/**
 * Exit codes of `pde-lab` and the error that carries one. Every non-zero exit prints one message
 * saying what happened and what to do next.
 */

/** Exit codes: 0 completed; 1 bad input (nothing written); 3 training diverged; 128 + signal number when interrupted. */
export const EXIT = { completed: 0, badInput: 1, diverged: 3, SIGINT: 130, SIGTERM: 143 } as const;

/** A run that ended without completing (interrupted or diverged): the message is printed, the code returned. */
export class RunEndedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'RunEndedError';
  }
}

/** Exit code for the signal that interrupted a run (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(reason: unknown): number {
  return reason === 'SIGTERM' ? EXIT.SIGTERM : EXIT.SIGINT;
}

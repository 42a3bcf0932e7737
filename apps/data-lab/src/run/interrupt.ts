/** Exit status of a run stopped by a signal (128 + signal number), as shells report it. */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** Thrown inside a run when SIGINT or SIGTERM arrived; the run saves its state and ends with `exitCode`. */
export class InterruptedError extends Error {
  readonly exitCode: number;
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    readonly resumeHint = '',
  ) {
    super(`interrupted by ${signal}${resumeHint ? `; ${resumeHint}` : ''}`);
    this.name = 'InterruptedError';
    this.exitCode = SIGNAL_EXIT[signal];
  }
}

/** Watches for SIGINT/SIGTERM during a run: the training loop calls `check()` at each step. */
export interface Interrupt {
  /** The signal received, if any. */
  readonly signal: 'SIGINT' | 'SIGTERM' | undefined;
  /** Throw InterruptedError if a signal arrived. */
  check(): void;
  /** Remove the handlers (the run is over). */
  release(): void;
}

/**
 * Catch SIGINT (Ctrl-C) and SIGTERM (kill, Slurm's time limit) so a run can write its checkpoint and status
 * before it exits, instead of dying mid-step. The handlers only record the signal; `check()` acts on it at the
 * next step boundary, where the state is consistent. A second signal exits at once (finished fits are already
 * on disk: checkpoints are written as each fit ends).
 */
export function watchSignals(): Interrupt {
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  // A second signal while the state is being saved means "stop now": exit at once.
  const on = (s: 'SIGINT' | 'SIGTERM') => () => {
    if (signal) process.exit(SIGNAL_EXIT[s]);
    signal = s;
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    get signal() {
      return signal;
    },
    check() {
      if (signal) throw new InterruptedError(signal);
    },
    release() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: the first one asks the run to stop after the current step
 * and save (the run exits 130 or 143 after saying how to resume); a second one exits at once.
 */

/** The abort signal of the current run and the way to stop listening. */
export interface SignalWatch {
  /** Aborted with reason 'SIGINT' or 'SIGTERM' at the first signal. */
  readonly signal: AbortSignal;
  /** Remove the handlers (the default behaviour of the signals returns). */
  dispose(): void;
}

/** Listen for SIGINT and SIGTERM on `proc` (default the current process); `say` prints notes (stderr). */
export function watchSignals(
  say: (line: string) => void = (l) => process.stderr.write(l + '\n'),
  proc: NodeJS.Process = process,
): SignalWatch {
  const ac = new AbortController();
  const on = (sig: 'SIGINT' | 'SIGTERM') => () => {
    if (ac.signal.aborted) {
      say(`pde-lab: second ${sig}: exiting now without saving; the last checkpoint stays in the results folder`);
      proc.exit(sig === 'SIGINT' ? 130 : 143);
    }
    say(
      `pde-lab: ${sig}: stopping after the current step and saving a checkpoint (${sig === 'SIGINT' ? 'Ctrl-C' : 'send it'} again to quit without saving)`,
    );
    ac.abort(sig);
  };
  const int = on('SIGINT');
  const term = on('SIGTERM');
  proc.on('SIGINT', int);
  proc.on('SIGTERM', term);
  return {
    signal: ac.signal,
    dispose() {
      proc.off('SIGINT', int);
      proc.off('SIGTERM', term);
    },
  };
}

/**
 * Ctrl-C (SIGINT) and SIGTERM (kill, a scheduler's time limit) during a run that keeps a results folder:
 * the first signal asks the run to stop after the current step and save, so it can be resumed; a second one
 * exits at once with 128 + the signal number (130 / 143), as shells report it.
 *
 * @example
 *   const watch = watchSignals({ name: 'pde-lab' });
 *   try {
 *     await train({ ...cfg, signal: watch.signal }); // stops after the current step once aborted
 *     watch.throwIfStopped('interrupted; resume with --resume'); // or check between phases
 *   } finally {
 *     watch.dispose();
 *   }
 */

/** The signals a run stops at. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Exit status of a run stopped by a signal (128 + the signal's number, as shells report it). */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Thrown when a signal stopped a run; the state is saved and `exitCode` is the status to exit with. */
export class InterruptedError extends Error {
  /** 130 for SIGINT, 143 for SIGTERM. */
  readonly exitCode: number;
  constructor(
    readonly signal: StopSignal,
    message = `interrupted by ${signal}`,
  ) {
    super(message);
    this.name = 'InterruptedError';
    this.exitCode = SIGNAL_EXIT[signal];
  }
}

/** What `watchSignals` needs of a process (the current one by default; tests pass an EventEmitter). */
export interface SignalSource {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
  exit(code: number): unknown;
}

export interface WatchSignalsOptions {
  /** The program, named at the start of each note (e.g. 'pde-lab'). */
  readonly name: string;
  /** Prints a note (default: a line on stderr); pass one that writes above a progress bar. */
  readonly say?: (line: string) => void;
  /** The process to watch (default the current one). */
  readonly proc?: SignalSource;
  /**
   * Listen from the start (default true). With false nothing is caught until `listen()`: a program that
   * only saves while training listens around training, and elsewhere a signal ends it as usual.
   */
  readonly listen?: boolean;
}

/** The signals of one run: what arrived, and the way to stop listening. */
export interface SignalWatch {
  /** Aborted with reason 'SIGINT' or 'SIGTERM' at the first signal (pass it to `train`). */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly received: StopSignal | undefined;
  /** Throw InterruptedError (with `message`, default "interrupted by SIGINT") if a signal arrived. */
  throwIfStopped(message?: string): void;
  /** Catch SIGINT and SIGTERM (again); does nothing when already listening. */
  listen(): void;
  /** Stop catching them for now (the default behaviour of the signals returns); `listen()` resumes. */
  pause(): void;
  /** Stop catching them for good (the run is over); later `listen()` calls do nothing. */
  dispose(): void;
}

/**
 * Listen for SIGINT and SIGTERM: the first prints a one-line note ("<name>: SIGINT: stopping after the current
 * step and saving a checkpoint (Ctrl-C again to quit without saving)") and aborts `signal`; a second prints a
 * note and exits 130 or 143 without saving (what was saved before stays).
 */
export function watchSignals(o: WatchSignalsOptions): SignalWatch {
  if (typeof o?.name !== 'string' || o.name.trim() === '')
    throw new Error("watchSignals: name must name the program for its notes, e.g. { name: 'pde-lab' }");
  const name = o.name;
  const proc: SignalSource = o.proc ?? process;
  const say = o.say ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const ac = new AbortController();
  let received: StopSignal | undefined;
  const on = (sig: StopSignal) => () => {
    if (received) {
      say(`${name}: second ${sig}: exiting now without saving; the last checkpoint stays in the results folder`);
      proc.exit(SIGNAL_EXIT[sig]);
      return;
    }
    received = sig;
    const again = sig === 'SIGINT' ? 'Ctrl-C' : 'send it';
    say(
      `${name}: ${sig}: stopping after the current step and saving a checkpoint (${again} again to quit without saving)`,
    );
    ac.abort(sig);
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  let listening = false;
  let disposed = false;
  const watch: SignalWatch = {
    signal: ac.signal,
    get received() {
      return received;
    },
    throwIfStopped(message) {
      if (received) throw new InterruptedError(received, message);
    },
    listen() {
      if (listening || disposed) return;
      listening = true;
      proc.on('SIGINT', onInt);
      proc.on('SIGTERM', onTerm);
    },
    pause() {
      if (!listening) return;
      listening = false;
      proc.off('SIGINT', onInt);
      proc.off('SIGTERM', onTerm);
    },
    dispose() {
      watch.pause();
      disposed = true;
    },
  };
  if (o.listen !== false) watch.listen();
  return watch;
}

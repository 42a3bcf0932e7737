/**
 * How runs get executed. An executor receives run folders whose `run.sh` is written, runs each
 * script exactly once, and reports how each ended. Add one (e.g. for PBS or LSF) by implementing
 * this interface; see `local.ts` for the smallest worked example.
 */
import type { RunStatus } from '../runs/layout';
import type { Json } from '../spec/paths';

/** One run to execute. */
export interface RunTask {
  /** Run id. */
  readonly id: string;
  /** Run folder (absolute). */
  readonly dir: string;
  /** The wrapper script to run (`<dir>/run.sh`). */
  readonly script: string;
  /** Short human label: the varied values and the seed. */
  readonly label: string;
  /** The varied values and the seed (executors may choose resources by them). */
  readonly values?: Readonly<Record<string, Json>>;
  readonly seed?: number;
}

/** How a run ended (or, for a detached Slurm submission, that it is queued). */
export interface RunOutcome {
  /** Run id. */
  readonly id: string;
  /**
   * `done` (exit 0), `failed`, `queued` when the executor did not wait, `preempted` when a signal
   * stopped it and it is not (yet) back in the queue: it continues on the next invocation.
   */
  readonly state: 'done' | 'failed' | 'queued' | 'preempted';
  /** The command's exit code; null when it never exited on its own (killed, timed out, never started). */
  readonly exitCode: number | null;
  /** The run's log: output.txt, everything the command printed (stdout and stderr). */
  readonly log: string;
  /** Scheduler detail, e.g. Slurm's `TIMEOUT` and its own output file. */
  readonly detail?: string;
}

/** A progress event: a run changed state. */
export interface ExecutorEvent {
  /** Run id. */
  readonly id: string;
  /** Run label. */
  readonly label: string;
  /** New state, in the executor's words (`running`, `done`, `PENDING`, `RUNNING`, `FAILED`...). */
  readonly state: string;
  /** Exit code, once known. */
  readonly exitCode?: number | null;
}

/** A run submitted earlier (by this or another invocation) and not finished: its status says where it is. */
export interface FollowTask extends RunTask {
  /** Its status.json as found. */
  readonly status: RunStatus;
}

/** Runs a batch of run folders. */
export interface Executor {
  /** Name recorded in summaries (`local`, `slurm`). */
  readonly name: string;
  /**
   * Execute every task once.
   * @param tasks    runs to execute (may be empty).
   * @param sweepDir the sweep folder (for executor files such as Slurm scripts).
   * @param onEvent  called on each state change.
   */
  execute(tasks: readonly RunTask[], sweepDir: string, onEvent?: (e: ExecutorEvent) => void): Promise<RunOutcome[]>;
  /**
   * Wait for runs an earlier invocation started (their status says `queued`, `running` or
   * `preempted`, and they are still alive), and report how each ended, as `execute` does.
   * Without it, such runs are left alone and the sweep is reported partial.
   */
  follow?(tasks: readonly FollowTask[], sweepDir: string, onEvent?: (e: ExecutorEvent) => void): Promise<RunOutcome[]>;
  /**
   * Pre-flight: throw, naming the problem and the fix, when the scheduler would refuse these runs
   * (e.g. `sbatch --test-only`). Called before any file is written.
   */
  check?(tasks: readonly RunTask[], sweepDir: string): Promise<void>;
  /** What `execute` would submit, as text (e.g. the sbatch script), for a dry run. */
  preview?(tasks: readonly RunTask[], sweepDir: string): string;
}

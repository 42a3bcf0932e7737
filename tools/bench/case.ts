/**
 * A benchmark case. Each area adds a file `tools/bench/cases/<area>.ts` exporting
 * `export const cases: BenchCase[]`; `npm run bench` discovers and runs them.
 *
 * - speed cases time a step (after warm-up) and report median/min/max ms;
 * - accuracy cases run a small experiment and report its figures (errors, accuracy, wall time).
 */
export interface SpeedCase {
  readonly kind: 'speed';
  /** Stable id, e.g. 'pinn-step-burgers-2x50x4'. */
  readonly name: string;
  /** Which implementation is measured, e.g. 'tfjs-ops', 'fused', 'nested-grad'. */
  readonly engine?: string;
  readonly threads?: number;
  /** Timed repetitions after one warm-up (default 10). */
  readonly repeats?: number;
  /** Build the model and data; return the step to time and a cleanup. */
  setup(): Promise<{ step: () => unknown | Promise<unknown>; dispose?: () => void }>;
}

export interface AccuracyCase {
  readonly kind: 'accuracy';
  readonly name: string;
  /** A full-length run of many minutes (the hard PINN problems): runs only with `--long` (or `--quick`, as a smoke run). */
  readonly long?: boolean;
  /** Run the experiment; return its figures (numbers, flags, short strings). `quick` asks for a smoke-size run. */
  run(opts: { quick: boolean }): Promise<Record<string, number | string | boolean>>;
}

export type BenchCase = SpeedCase | AccuracyCase;

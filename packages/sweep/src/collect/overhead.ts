/**
 * Per-run overhead: the wall time of a run's wrapper minus the time the experiment itself reports
 * for training. What is left is process start-up (Node, module loading), config checks, writing
 * results and reports: the cost of splitting a sweep into runs, the same on every executor.
 */
import type { SweepRow } from './table';

/** Metric names under which experiments report their training time, tried in order. */
export const TRAIN_SECONDS_METRICS = ['trainSeconds', 'training.seconds', 'timing.trainSeconds'] as const;

/** Overhead figures of a set of runs. */
export interface OverheadSummary {
  /** Runs that reported a training time (the overhead is measured on these). */
  readonly n: number;
  /** Mean seconds per run outside training. */
  readonly meanSeconds: number;
  /** Median seconds per run outside training (steadier than the mean on a busy machine). */
  readonly medianSeconds: number;
  /** Largest seconds outside training. */
  readonly maxSeconds: number;
  /** Mean wall seconds per run (wrapper start to end). */
  readonly meanWallSeconds: number;
  /** Mean CPU seconds per run (the command and its processes, training included), over the runs whose wrapper measured it. */
  readonly meanCpuSeconds?: number;
}

/** Seconds outside training of one finished run, or undefined when its metrics hold no training time. */
export function runOverheadSeconds(row: SweepRow): number | undefined {
  if (row.state !== 'done' || row.seconds === null) return undefined;
  for (const m of TRAIN_SECONDS_METRICS) {
    const v = row.metrics[m];
    if (typeof v === 'number' && Number.isFinite(v)) return Math.max(0, row.seconds - v);
  }
  return undefined;
}

/** Mean and largest overhead over the finished runs that report a training time; undefined when none does. */
export function overheadOf(rows: readonly SweepRow[]): OverheadSummary | undefined {
  const pairs = rows
    .map((r) => [runOverheadSeconds(r), r.seconds] as const)
    .filter((p): p is readonly [number, number] => p[0] !== undefined);
  if (pairs.length === 0) return undefined;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const cpu = rows
    .filter((r) => runOverheadSeconds(r) !== undefined && typeof r.cpuSeconds === 'number')
    .map((r) => r.cpuSeconds as number);
  return {
    n: pairs.length,
    meanSeconds: mean(pairs.map((p) => p[0])),
    medianSeconds: median(pairs.map((p) => p[0])),
    maxSeconds: pairs.reduce((m, p) => Math.max(m, p[0]), 0),
    meanWallSeconds: mean(pairs.map((p) => p[1])),
    ...(cpu.length ? { meanCpuSeconds: mean(cpu) } : {}),
  };
}

/**
 * One line for the terminal:
 * `per-run overhead: 0.62 s outside training (max 0.81 s; runs of 3.10 s on average, 2.95 s CPU; 12 runs)`.
 * Wall time counts waiting for a CPU too: on a busy machine it is larger than the CPU time.
 */
export function formatOverhead(o: OverheadSummary): string {
  const cpu = o.meanCpuSeconds !== undefined ? `, ${o.meanCpuSeconds.toFixed(2)} s CPU` : '';
  return `per-run overhead: ${o.meanSeconds.toFixed(2)} s outside training (max ${o.maxSeconds.toFixed(2)} s; runs of ${o.meanWallSeconds.toFixed(2)} s on average${cpu}; ${o.n} runs)`;
}

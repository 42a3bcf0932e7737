/**
 * Gathering a sweep's runs into one table: each run's varied values, seed, state, exit code,
 * timing and metrics (from the metrics.json the experiment wrote), as JSON rows and as CSV.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJson } from '@aml/core/node';
import { pathsOf, readStatus, runFiles } from '../runs/layout';
import { isObject, type Json } from '../spec/paths';

/** A scalar table cell. */
export type Cell = string | number | boolean | null;

/** One run in the collected table. */
export interface SweepRow {
  /** Run id. */
  readonly id: string;
  /** Varied values by parameter path. */
  readonly values: Readonly<Record<string, Json>>;
  /** Seed. */
  readonly seed: number;
  /** `done`, `failed`, `queued`, `running`, `preempted`, or `not started`. */
  readonly state: string;
  /** Exit code of the command, if it ended. */
  readonly exitCode: number | null;
  /** Wall seconds of the command, if it ended. */
  readonly seconds: number | null;
  /** CPU seconds (user + system) of the command and the processes it started, if it ended and the wrapper measured it. */
  readonly cpuSeconds?: number | null;
  /** Where it ran (`local`, `slurm`), if it started. */
  readonly executor: string | null;
  /** Scalar metrics from metrics.json, nested keys dotted (`final.relL2`); empty when there is none. */
  readonly metrics: Readonly<Record<string, Cell>>;
  /** The run's log file. */
  readonly log: string;
}

/** Scalars of a nested JSON object as dotted keys; arrays and nulls are left out (they stay in metrics.json). */
export function flattenScalars(obj: Json, prefix = '', out: Record<string, Cell> = {}): Record<string, Cell> {
  if (isObject(obj)) {
    for (const [k, v] of Object.entries(obj)) flattenScalars(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof obj === 'number' || typeof obj === 'string' || typeof obj === 'boolean') {
    if (prefix) out[prefix] = obj;
  }
  return out;
}

/** Read every run of the sweep in `sweepDir`, in expansion order. */
export function collectRows(sweepDir: string): SweepRow[] {
  const runsDir = pathsOf(sweepDir).runs;
  if (!existsSync(runsDir))
    throw new Error(`collect: ${sweepDir} has no runs/ folder; is it a sweep folder (results/<sweep>)?`);
  const rows: (SweepRow & { index: number })[] = [];
  for (const id of readdirSync(runsDir)) {
    const dir = join(runsDir, id);
    const f = runFiles(dir);
    if (!existsSync(f.run)) continue;
    const run = JSON.parse(readFileSync(f.run, 'utf8')) as {
      index: number;
      values: Record<string, Json>;
      seed: number;
    };
    const st = readStatus(dir);
    let metrics: Record<string, Cell> = {};
    if (st?.state === 'done' && existsSync(f.metrics)) {
      try {
        metrics = flattenScalars(JSON.parse(readFileSync(f.metrics, 'utf8')) as Json);
      } catch (e) {
        throw new Error(`collect: ${f.metrics} is not valid JSON (${(e as Error).message})`);
      }
    }
    rows.push({
      id,
      index: run.index,
      values: run.values,
      seed: run.seed,
      state: st?.state ?? 'not started',
      exitCode: st?.exitCode ?? null,
      seconds: st?.startedMs && st.finishedMs ? (st.finishedMs - st.startedMs) / 1000 : null,
      cpuSeconds: typeof st?.cpuSeconds === 'number' ? st.cpuSeconds : null,
      executor: st?.executor ?? null,
      metrics,
      log: f.log,
    });
  }
  rows.sort((a, b) => a.index - b.index || a.id.localeCompare(b.id));
  return rows.map(({ index: _index, ...r }) => r);
}

/** Parameter paths varied across `rows`, in first-seen order. */
export function variedParameters(rows: readonly SweepRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.values)) seen.add(k);
  return [...seen];
}

/** Metric names present in any row, in first-seen order. */
export function metricNames(rows: readonly SweepRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.metrics)) seen.add(k);
  return [...seen];
}

/** A cell for a varied value: scalars as they are, arrays and objects as compact JSON (`[20,20,20]`). */
export function valueCell(v: Json | undefined): Cell {
  if (v === undefined) return null;
  return v === null || typeof v !== 'object' ? v : JSON.stringify(v);
}

/** The rows as a flat table: id, state, exit code, each parameter, seed, each metric, seconds, CPU seconds, executor (column names unique). */
export function rowsToTable(rows: readonly SweepRow[]): { columns: string[]; rows: Cell[][] } {
  const params = variedParameters(rows);
  const metrics = metricNames(rows);
  // A metric named like a column of the table itself (experiments often echo their `seed`) gets a prefix.
  const taken = new Set(['id', 'state', 'exitCode', 'seed', 'seconds', 'cpuSeconds', 'executor', ...params]);
  const metricColumn = (m: string) => (taken.has(m) ? `metrics.${m}` : m);
  const columns = [
    'id',
    'state',
    'exitCode',
    ...params,
    'seed',
    ...metrics.map(metricColumn),
    'seconds',
    'cpuSeconds',
    'executor',
  ];
  return {
    columns,
    rows: rows.map((r) => [
      r.id,
      r.state,
      r.exitCode,
      ...params.map((p) => valueCell(r.values[p])),
      r.seed,
      ...metrics.map((m) => r.metrics[m] ?? null),
      r.seconds,
      r.cpuSeconds ?? null,
      r.executor,
    ]),
  };
}

/** One CSV field (RFC 4180: quoted when it holds a comma, quote or line break). */
function csvField(c: Cell): string {
  if (c === null) return '';
  const s = typeof c === 'number' ? String(c) : String(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV text (full precision numbers). */
export function toCsv(table: { columns: readonly string[]; rows: readonly (readonly Cell[])[] }): string {
  return [table.columns, ...table.rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Write `table.csv` and `table.json` (or the given names) into the sweep folder; returns their paths. */
export function writeTables(
  sweepDir: string,
  rows: readonly SweepRow[],
  names = { csv: 'table.csv', json: 'table.json' },
): { csv: string; json: string } {
  const csv = join(sweepDir, names.csv);
  const json = join(sweepDir, names.json);
  writeFileAtomic(csv, toCsv(rowsToTable(rows)));
  writeJson(json, rows);
  return { csv, json };
}

/**
 * `npm run bench [-- --json] [--filter <substring>] [--kind speed|accuracy] [--quick] [--long] [--backend <name>] [--repeats n]`
 *
 * Discovers `tools/bench/cases/*.ts` (each exports `cases: BenchCase[]`), runs them on the chosen
 * backend and prints one line per case (a table, or one JSON object per line with --json).
 * Speed cases: one warm-up step, then `repeats` timed steps; median/min/max in ms. Accuracy cases marked
 * `long` (full-length runs of many minutes) are listed as skipped unless `--long` (or `--quick`) is given.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend, parseBackendChoice, tf } from '@aml/core';
import type { BenchCase, SpeedCase } from './case';

interface Args {
  json: boolean;
  filter?: string;
  kind?: 'speed' | 'accuracy';
  quick: boolean;
  long: boolean;
  backend?: string;
  repeats?: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, quick: false, long: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`bench: ${k} needs a value`);
      return argv[++i];
    };
    if (k === '--json') a.json = true;
    else if (k === '--quick') a.quick = true;
    else if (k === '--long') a.long = true;
    else if (k === '--filter') a.filter = next();
    else if (k === '--backend') a.backend = next();
    else if (k === '--repeats') a.repeats = Number(next());
    else if (k === '--kind') {
      const v = next();
      if (v !== 'speed' && v !== 'accuracy') throw new Error(`bench: --kind must be speed or accuracy, got ${v}`);
      a.kind = v;
    } else
      throw new Error(
        `bench: unknown option ${k}; options: --json --filter <s> --kind speed|accuracy --quick --long --backend <name> --repeats <n>`,
      );
  }
  return a;
}

function loadCases(): BenchCase[] {
  const dir = path.join(__dirname, 'cases');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  return files.flatMap((f) => (require(path.join(dir, f)) as { cases: BenchCase[] }).cases ?? []);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeSpeed(c: SpeedCase, repeats: number) {
  const { step, dispose } = await c.setup();
  await step(); // warm-up: kernels compiled, optimizer slots created
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  dispose?.();
  return {
    median_ms: median(times),
    min_ms: times.reduce((a, b) => Math.min(a, b)),
    max_ms: times.reduce((a, b) => Math.max(a, b)),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const info = await initBackend({ backend: args.backend ? parseBackendChoice(args.backend, '--backend') : undefined });
  const cases = loadCases().filter(
    (c) => (!args.filter || c.name.includes(args.filter)) && (!args.kind || c.kind === args.kind),
  );
  if (!cases.length) throw new Error(`bench: no case matches${args.filter ? ` --filter ${args.filter}` : ''}`);
  // speed first: they are short and their numbers should not follow a long training run's heat
  cases.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'speed' ? -1 : 1));
  for (const c of cases) {
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    let row: Record<string, unknown>;
    try {
      if (c.kind === 'accuracy' && c.long && !args.long && !args.quick) {
        row = { case: c.name, skipped: 'a full-length run of many minutes: add --long' };
        console.log(args.json ? JSON.stringify(row) : formatRow(row));
        continue;
      }
      if (c.kind === 'speed') {
        const r = await timeSpeed(c, args.repeats ?? c.repeats ?? 10);
        row = {
          case: c.name,
          backend: info.name,
          engine: c.engine ?? 'tfjs-ops',
          threads: c.threads ?? 1,
          ...round(r),
        };
      } else {
        const r = await c.run({ quick: args.quick });
        row = { case: c.name, backend: info.name, ...r, wall_s: +((performance.now() - t0) / 1000).toFixed(2) };
      }
    } catch (e) {
      row = { case: c.name, backend: info.name, error: (e as Error).message };
      process.exitCode = 1;
    }
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) row.leaked_tensors = leaked;
    console.log(args.json ? JSON.stringify(row) : formatRow(row));
  }
}

function round(r: Record<string, number>) {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, +v.toFixed(2)]));
}

function formatRow(row: Record<string, unknown>): string {
  const { case: name, ...rest } = row;
  const fmt = (v: unknown) =>
    typeof v === 'number'
      ? Math.abs(v) < 1e-3 && v !== 0
        ? v.toExponential(2)
        : String(+v.toPrecision(4))
      : String(v);
  return `${String(name).padEnd(42)} ${Object.entries(rest)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join('  ')}`;
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});

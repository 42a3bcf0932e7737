/**
 * data-lab at lab scale: a generated 1,000,000-row x 20-column CSV (about 190 MB; --quick: 100,000 rows).
 * - CSV parse: `loadCsv` (streamed into typed columns) in a child process: wall and CPU seconds, MB/s, peak RSS.
 * - analyze --quick: the whole CLI (read, profile, 5-fold CV of ridge and the MLP on a 5,000-row subsample per
 *   fit, final fit, report) in a child process: wall seconds, peak RSS, cross-validated R^2.
 * Peak memory is the child's own maximum resident set (process.resourceUsage().maxRSS at exit), so the
 * bench process's heap does not blur it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '@aml/core';
import type { BenchCase } from '../case';

const REPO = path.resolve(__dirname, '../../..');
const FEATURES = 19;

/** y = sin(x1) + x2 x3 + 0.5 x4 + noise; the other 15 features are distractors. Written in 10,000-row blocks. */
function writeBigCsv(file: string, rows: number, rng: Rng): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, [...Array.from({ length: FEATURES }, (_, j) => `x${j + 1}`), 'y'].join(',') + '\n');
    const x = new Float64Array(FEATURES);
    for (let start = 0; start < rows; start += 10_000) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + 10_000); i++) {
        for (let j = 0; j < FEATURES; j++) x[j] = rng.range(-2, 2);
        const y = Math.sin(x[0]) + x[1] * x[2] + 0.5 * x[3] + 0.05 * rng.normal();
        lines.push(Array.from(x, (v) => v.toFixed(6)).join(',') + ',' + y.toFixed(6));
      }
      fs.writeSync(fd, lines.join('\n') + '\n');
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Run node with ts-node and a preload that records the child's peak RSS and CPU time at exit. */
function child(
  args: string[],
  dir: string,
): {
  status: number | null;
  stdout: string;
  stderr: string;
  peakRssMB: number;
  cpuSeconds: number;
  wallSeconds: number;
} {
  const preload = path.join(dir, 'usage.js');
  const usage = path.join(dir, 'usage.json');
  fs.writeFileSync(
    preload,
    `process.on('exit', () => { const c = process.cpuUsage(); require('fs').writeFileSync(${JSON.stringify(usage)}, JSON.stringify({ maxRssKB: process.resourceUsage().maxRSS, cpu: (c.user + c.system) / 1e6 })); });\n`,
  );
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', preload, '-r', require.resolve('ts-node/register'), ...args], {
    cwd: REPO,
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const u = JSON.parse(fs.readFileSync(usage, 'utf8')) as { maxRssKB: number; cpu: number };
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    peakRssMB: u.maxRssKB / 1024,
    cpuSeconds: u.cpu,
    wallSeconds,
  };
}

const round = (v: number, d = 1) => +v.toFixed(d);

export const cases: BenchCase[] = [
  {
    kind: 'accuracy',
    name: 'data-lab-scale-csv-1m',
    async run({ quick }) {
      const rows = quick ? 100_000 : 1_000_000;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-data-lab-scale-'));
      const file = path.join(dir, 'lab.csv');
      try {
        writeBigCsv(file, rows, new Rng(0));
        const mb = fs.statSync(file).size / 1e6;
        // Timed inside the child, around loadCsv alone (not ts-node's start-up).
        const parseScript = `const { loadCsv } = require('@aml/data'); const t0 = performance.now(); const c0 = process.cpuUsage();
        loadCsv(${JSON.stringify(file)}).then((t) => { const c = process.cpuUsage(c0);
          console.log(JSON.stringify({ rows: t.nRows, cols: t.columns.length, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 })); })`;
        const parse = child(['-e', parseScript], dir);
        if (parse.status !== 0) throw new Error(`loadCsv failed: ${parse.stderr}`);
        const table = JSON.parse(parse.stdout) as { rows: number; cols: number; seconds: number; cpuSeconds: number };
        const out = path.join(dir, 'results');
        const analyze = child(
          [
            path.join(REPO, 'apps/data-lab/src/main.ts'),
            'analyze',
            file,
            '--target',
            'y',
            '--quick',
            '--out',
            out,
            '--quiet',
            '--backend',
            'wasm',
          ],
          dir,
        );
        if (analyze.status !== 0) throw new Error(`analyze failed (${analyze.status}): ${analyze.stderr}`);
        const m = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
        return {
          rows: table.rows,
          cols: table.cols,
          fileMB: round(mb),
          // MB/s over wall time, and over the reader's CPU time (the figure that does not depend on other load)
          parseSeconds: round(table.seconds),
          parseMBps: round(mb / table.seconds),
          parseCpuMBps: round(mb / table.cpuSeconds),
          parsePeakRssMB: Math.round(parse.peakRssMB),
          analyzeWallSeconds: round(analyze.wallSeconds),
          analyzeCpuSeconds: round(analyze.cpuSeconds),
          analyzePeakRssMB: Math.round(analyze.peakRssMB),
          status: m.status,
          linearR2: round(m.models.linear.r2.mean, 4),
          mlpR2: round(m.models.mlp.r2.mean, 4),
          maxTrainRows: m.maxTrainRows,
        };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

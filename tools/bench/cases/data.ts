/**
 * packages/data and apps/data-lab benchmarks.
 * - speed: parsing a 20,000-row CSV (5 numeric columns + 1 text column) with type detection; writing and
 *   reading a 1M-element float32 .npy.
 * - accuracy: data-lab analyze (the CLI's code path: profile, k-fold CV of the linear/logistic baseline and the
 *   MLP, final fit, report) on three generated classification datasets with known rules: a disc (nonlinear),
 *   a half-space (linear) and two moons. Figures: mean cross-validated accuracy of each model and wall time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '@aml/core';
import { type Column, formatCsv, parseCsv, readNpy, tabularDataset, twoMoons, writeCsv, writeNpy } from '@aml/data';
import { analyze } from '@aml/data-lab';
import type { BenchCase } from '../case';

function moonsTable(n: number, seed: number) {
  const { x, labels } = twoMoons(n, new Rng(seed), { noise: 0.2 });
  const columns: Column[] = [
    { name: 'x1', type: 'number', values: Float64Array.from({ length: n }, (_, i) => x[2 * i]) },
    { name: 'x2', type: 'number', values: Float64Array.from({ length: n }, (_, i) => x[2 * i + 1]) },
    { name: 'y', type: 'string', values: Array.from(labels, (l) => (l ? 'B' : 'A')) },
  ];
  return { columns, nRows: n, source: '<moons>' };
}

const DATASETS = [
  {
    name: 'disc',
    make: (n: number) => tabularDataset('nonlinear-classification', n, new Rng(1), { noise: 0.1 }).table,
  },
  {
    name: 'halfspace',
    make: (n: number) => tabularDataset('linear-classification', n, new Rng(2), { noise: 0.1 }).table,
  },
  { name: 'moons', make: (n: number) => moonsTable(n, 3) },
];

const accuracy: BenchCase[] = DATASETS.map((d) => ({
  kind: 'accuracy',
  name: `data-lab-cv-${d.name}`,
  async run({ quick }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-data-lab-'));
    const n = quick ? 300 : 1000;
    const file = path.join(dir, `${d.name}.csv`);
    writeCsv(file, d.make(n));
    try {
      const r = await analyze(file, {
        target: 'y',
        folds: quick ? '3' : '5',
        epochs: quick ? '20' : '100',
        seed: '0',
        results: dir,
        quiet: true,
      });
      const m = JSON.parse(fs.readFileSync(path.join(r.dir, 'metrics.json'), 'utf8'));
      return {
        rows: n,
        folds: m.folds,
        epochs: quick ? 20 : 100,
        linearAccuracy: m.models.linear.accuracy.mean,
        linearAccuracyStd: m.models.linear.accuracy.std,
        mlpAccuracy: m.models.mlp.accuracy.mean,
        mlpAccuracyStd: m.models.mlp.accuracy.std,
        linearSeconds: m.modelSeconds.linear,
        mlpSeconds: m.modelSeconds.mlp,
        wallSeconds: r.seconds,
        best: r.best,
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
}));

const speed: BenchCase[] = [
  {
    kind: 'speed',
    name: 'data-csv-parse-20000x6',
    engine: 'csv-parse + type detection',
    repeats: 5,
    async setup() {
      const t = tabularDataset('linear-classification', 20_000, new Rng(4), { categorical: true }).table;
      const text = formatCsv(t);
      return { step: () => parseCsv(text, 'bench.csv') };
    },
  },
  {
    kind: 'speed',
    name: 'data-npy-write-read-1M-f32',
    engine: 'node fs',
    repeats: 5,
    async setup() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-npy-'));
      const data = Float32Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i));
      const file = path.join(dir, 'a.npy');
      return {
        step: () => {
          writeNpy(file, { shape: [1000, 1000], data });
          return readNpy(file);
        },
        dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

export const cases: BenchCase[] = [...speed, ...accuracy];

/**
 * The CLI end to end in tiny mode (--quick: at most 5 epochs, 2 folds, small generated files), in process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, Rng } from '@aml/core';
import { formatCsv, readCsv, seasonalSeries, selectColumns, tabularDataset, writeCsv } from '@aml/data';
import { buildProgram } from './program';
import { readModels } from '../models/store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-lab-cli-'));
const results = path.join(dir, 'results');
const out: string[] = [];
const cli = (...args: string[]) =>
  buildProgram({ out: (l) => out.push(l) })
    .exitOverride()
    .parseAsync(args, { from: 'user' });

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  writeCsv(
    path.join(dir, 'cls.csv'),
    tabularDataset('nonlinear-classification', 120, new Rng(1), { categorical: true, missing: 0.05 }).table,
  );
  writeCsv(path.join(dir, 'reg.csv'), tabularDataset('linear-regression', 100, new Rng(2)).table);
  writeCsv(path.join(dir, 'series.csv'), seasonalSeries(80, new Rng(3)));
});

const common = ['--results', results, '--folds', '2', '--quick', '--quiet'];

describe('data-lab analyze / predict', () => {
  it('classification: writes config, metrics, report, model and log; refuses to overwrite without --force', async () => {
    await cli('analyze', path.join(dir, 'cls.csv'), '--target', 'y', ...common);
    const res = path.join(results, 'cls');
    for (const f of ['config.json', 'metrics.json', 'report.html', 'plotly.js', 'log.txt', 'model/manifest.json'])
      expect(fs.existsSync(path.join(res, f))).toBe(true);
    const m = JSON.parse(fs.readFileSync(path.join(res, 'metrics.json'), 'utf8'));
    expect(m).toMatchObject({
      task: 'classification',
      target: 'y',
      rows: 120,
      folds: 2,
      classes: ['A', 'B'],
      features: ['x1', 'x2', 'x3', 'x4', 'group'],
    });
    expect(m.perFold).toHaveLength(2);
    for (const model of ['linear', 'forest', 'mlp']) {
      expect(m.models[model].accuracy.mean).toBeGreaterThan(0.3);
      expect(m.models[model].accuracy.mean).toBeLessThanOrEqual(1);
      expect(m.modelSeconds[model]).toBeGreaterThan(0);
      expect(m.selection.hyperparameters[0][model].hp).toBeDefined(); // chosen by inner CV in each outer fold
    }
    expect(m.selection.chosen).toHaveLength(2);
    const html = fs.readFileSync(path.join(res, 'report.html'), 'utf8');
    for (const s of [
      'Confusion matrix (out-of-fold)',
      'Model choice (nested cross-validation)',
      'Permutation feature importance',
      'Calibration (out-of-fold)',
    ])
      expect(html).toContain(s);
    expect(out.at(-1)).toMatch(
      /^classification: linear accuracy 0\.\d{4}, forest accuracy 0\.\d{4}, mlp accuracy 0\.\d{4}; best (linear|forest|mlp)/,
    );
    await expect(cli('analyze', path.join(dir, 'cls.csv'), '--target', 'y', ...common)).rejects.toThrow(
      `${res} already holds a run (metrics.json, report.html, model); pass --force to overwrite it`,
    );
    await cli('analyze', path.join(dir, 'cls.csv'), '--target', 'y', ...common, '--force', '--seed', '3');
    const a = JSON.parse(fs.readFileSync(path.join(res, 'metrics.json'), 'utf8'));
    expect(a.seed).toBe(3);
    // same seed, same result: folds, initialisation and batches are all seeded
    await cli('analyze', path.join(dir, 'cls.csv'), '--target', 'y', ...common, '--seed', '3', '--name', 'cls-again');
    const b = JSON.parse(fs.readFileSync(path.join(results, 'cls-again', 'metrics.json'), 'utf8'));
    expect(b.models).toEqual(a.models);
    const model = (d: string) => (readModels(path.join(results, d)).content as { models: unknown }).models;
    expect(model('cls-again')).toEqual(model('cls'));
  });

  it('predict applies the saved model with its preprocessing; a schema mismatch names the column', async () => {
    const res = path.join(results, 'cls');
    const fresh = path.join(dir, 'new.csv');
    fs.writeFileSync(
      fresh,
      formatCsv(selectColumns(readCsv(path.join(dir, 'cls.csv')), ['x1', 'x2', 'x3', 'x4', 'group'])),
    );
    const before = fs.readFileSync(fresh, 'utf8');
    await cli('predict', res, fresh, '--quiet');
    const p = readCsv(path.join(res, 'predictions-new.csv'));
    expect(p.nRows).toBe(120);
    expect(p.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'x3', 'x4', 'group', 'prediction', 'p(A)', 'p(B)']);
    const pa = p.columns[6].values as Float64Array;
    const pb = p.columns[7].values as Float64Array;
    for (let i = 0; i < 120; i++) expect(pa[i] + pb[i]).toBeCloseTo(1, 5);
    expect(fs.readFileSync(fresh, 'utf8')).toBe(before); // the user's file is untouched
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'x1,x2,x4,group\n1,2,3,g1\n');
    await expect(cli('predict', res, bad, '--quiet')).rejects.toThrow(`${bad}: column 'x3' is missing`);
    await expect(cli('predict', res, fresh, '--quiet')).rejects.toThrow('already exists; pass --force');
  });

  it('regression and options: task inferred, bad flag values named', async () => {
    await cli('analyze', path.join(dir, 'reg.csv'), '--target', 'y', ...common, '--name', 'reg1', '--png');
    // with Chromium the PNG exists; without, the log says why and the run still succeeds
    const log = fs.readFileSync(path.join(results, 'reg1', 'log.txt'), 'utf8');
    expect(
      fs.existsSync(path.join(results, 'reg1', 'report.png')) ||
        log.includes('--png skipped: no headless Chromium found'),
    ).toBe(true);
    const m = JSON.parse(fs.readFileSync(path.join(results, 'reg1', 'metrics.json'), 'utf8'));
    expect(m.task).toBe('regression');
    expect(m.models.linear.r2.mean).toBeGreaterThan(0.99); // ridge is exact up to the noise on a linear rule
    expect(fs.readFileSync(path.join(results, 'reg1', 'report.html'), 'utf8')).toContain('Residuals (out-of-fold)');
    await expect(
      cli('analyze', path.join(dir, 'reg.csv'), '--target', 'y', ...common, '--name', 'x', '--folds', 'two'),
    ).rejects.toThrow('--folds must be an integer >= 2');
    await expect(
      cli('analyze', path.join(dir, 'reg.csv'), '--target', 'price', ...common, '--name', 'x'),
    ).rejects.toThrow("target column 'price' is not in the file; expected one of: x1, x2, x3, x4, y");
    await expect(
      cli('analyze', path.join(dir, 'reg.csv'), '--target', 'y', ...common, '--name', 'x', '--task', 'clustering'),
    ).rejects.toThrow('invalid options');
  });

  it('forecast: naive, linear, MLP and LSTM on forward-chaining folds; predict forecasts the next step', async () => {
    await cli(
      'analyze',
      path.join(dir, 'series.csv'),
      '--target',
      'value',
      '--time',
      'time',
      '--window',
      '6',
      ...common,
    );
    const res = path.join(results, 'series');
    const m = JSON.parse(fs.readFileSync(path.join(res, 'metrics.json'), 'utf8'));
    expect(m).toMatchObject({ task: 'forecast', window: 6, rows: 80 });
    expect(Object.keys(m.models)).toEqual(['naive', 'linear', 'mlp', 'lstm']);
    expect(m.models.naive.skill.mean).toBe(0);
    await cli('predict', res, path.join(dir, 'series.csv'), '--quiet');
    const p = readCsv(path.join(res, 'predictions-series.csv'));
    expect(p.nRows).toBe(81); // every row plus the next step
    const f = p.columns[2].values as Float64Array;
    expect(Number.isNaN(f[5])).toBe(true); // no forecast before a full window
    expect(Number.isFinite(f[80])).toBe(true);
  });

  it('sweep mode: --config and --out write into an existing run folder and keep its config.json', async () => {
    const run = path.join(dir, 'sweep-run');
    fs.mkdirSync(run);
    const cfg = {
      data: path.join(dir, 'reg.csv'),
      target: 'y',
      model: { hidden: [8] },
      training: { lr: 0.01, epochs: 2 },
      seed: 4,
      folds: 2,
    };
    fs.writeFileSync(path.join(run, 'config.json'), JSON.stringify(cfg));
    await cli('analyze', '--config', path.join(run, 'config.json'), '--out', run, '--quiet');
    expect(JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8'))).toEqual(cfg);
    const resolved = JSON.parse(fs.readFileSync(path.join(run, 'resolved-config.json'), 'utf8'));
    expect(resolved).toMatchObject({ hidden: '8', epochs: 2, seed: 4, lr: 0.01 });
    expect(JSON.parse(fs.readFileSync(path.join(run, 'metrics.json'), 'utf8')).seed).toBe(4);
    await expect(cli('analyze', '--config', path.join(run, 'config.json'), '--out', run, '--quiet')).rejects.toThrow(
      'already holds a run (metrics.json, report.html, model)',
    );
  });
});

describe('data-lab explore', () => {
  it('writes PCA and autoencoder embeddings with explained variance and reconstruction errors', async () => {
    await cli(
      'explore',
      path.join(dir, 'cls.csv'),
      '--color',
      'y',
      ...common.filter((a) => a !== '--folds' && a !== '2'),
    );
    const res = path.join(results, 'cls-explore');
    const m = JSON.parse(fs.readFileSync(path.join(res, 'metrics.json'), 'utf8'));
    expect(m.dimensions).toBe(7); // x1..x4 and 3 one-hot groups; y is only the colour
    const ev = m.explainedVariance as number[];
    expect(ev.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 10);
    for (let i = 1; i < ev.length; i++) expect(ev[i]).toBeLessThanOrEqual(ev[i - 1] + 1e-12);
    expect(m.reconstructionError.pca2).toBeGreaterThan(0);
    const emb = JSON.parse(fs.readFileSync(path.join(res, 'embeddings.json'), 'utf8'));
    expect(emb.pca).toHaveLength(240);
    expect(emb.autoencoder).toHaveLength(240);
  });
});

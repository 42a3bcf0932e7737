/**
 * Every worked experiment under experiments/nn runs in its --quick mode here, so none rots
 * (the scripts sit on top of the packages; this test imports their `run`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, expectNoLeak } from '@aml/core';
import { run as isingCnn } from '../nn/ising-cnn';
import { run as oscillatorRnn } from '../nn/oscillator-rnn';
import { run as ljGnn, ljForce } from '../nn/lj-gnn';
import { run as poisson, thomasPoisson } from '../nn/poisson-transformer';
import { run as charLm, generatedText } from '../nn/char-lm';
import { run as pcaAe } from '../nn/pca-autoencoder';
import { Rng } from '@aml/core';
import { parseFlags, Results } from '../common';

let tmp: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-exp-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const opts = (name: string) => ({ quick: true, outDir: path.join(tmp, name), report: false, verbose: false });
const written = (name: string) => JSON.parse(fs.readFileSync(path.join(tmp, name, 'metrics.json'), 'utf8'));

describe('nn experiments (--quick)', () => {
  it('ising-cnn writes accuracies in [0, 1] and the backend', async () => {
    const m = await expectNoLeak(() => isingCnn(opts('ising')), 'isingCnn');
    expect(m.testAccuracyAwayFromTc).toBeGreaterThanOrEqual(0);
    expect(m.testAccuracyAwayFromTc).toBeLessThanOrEqual(1);
    expect(written('ising').backend).toBe('wasm');
    expect(fs.existsSync(path.join(tmp, 'ising', 'config.json'))).toBe(true);
  });

  it('oscillator-rnn reports MSE, RMSE, MAE and R^2 for each cell', async () => {
    const m = (await expectNoLeak(() => oscillatorRnn(opts('osc')), 'oscillatorRnn')) as Record<
      string,
      { oneStep: { mse: number; rmse: number; r2: number } }
    >;
    for (const k of ['rnn', 'lstm', 'gru']) expect(m[k].oneStep.rmse).toBeCloseTo(Math.sqrt(m[k].oneStep.mse), 10);
  });

  it('lj-gnn runs; the LJ force oracle is -dE/dr', async () => {
    const m = await expectNoLeak(() => ljGnn(opts('lj')), 'ljGnn');
    expect(Number.isFinite(m.energyRmse)).toBe(true);
    const r = 1.3,
      h = 1e-6,
      E = (x: number) => 4 * (x ** -12 - x ** -6);
    expect(ljForce(r)).toBeCloseTo(-(E(r + h) - E(r - h)) / (2 * h), 5);
  });

  it('poisson-transformer runs; its Thomas baseline converges at O(h^2)', async () => {
    const m = (await expectNoLeak(() => poisson(opts('poisson')), 'poisson')) as Record<
      string,
      { thomasSinPi: { max: number } }
    >;
    const ratio = m['n=16'].thomasSinPi.max / m['n=32'].thomasSinPi.max;
    expect(ratio).toBeGreaterThan(3.9);
    expect(ratio).toBeLessThan(4.1);
    // exact for a discrete solution: -u'' = 2 has u = x(1-x), reproduced exactly by the 3-point stencil
    const u = thomasPoisson(new Array(9).fill(2), 8);
    u.forEach((v, i) => expect(v).toBeCloseTo((i / 8) * (1 - i / 8), 12));
  });

  it('char-lm runs on generated text and samples', async () => {
    const m = await expectNoLeak(() => charLm(opts('lm')), 'charLm');
    expect(m.sample.length).toBe(20);
    expect(generatedText(100, new Rng(1))).toBe(generatedText(100, new Rng(1)));
  });

  it('pca-autoencoder reports PCA error that falls with the latent size', async () => {
    const m = (await expectNoLeak(() => pcaAe(opts('pca')), 'pcaAe')) as { testMse: { pca: number[] } };
    expect(m.testMse.pca[1]).toBeLessThan(m.testMse.pca[0]);
  });
});

describe('experiments/common (shared by nn and generative)', () => {
  it('refuses to overwrite an earlier run without --force; with it, replaces only the run files', () => {
    const dir = path.join(tmp, 'again');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics.json'), '{"old": 1}');
    fs.writeFileSync(path.join(dir, 'notes.md'), 'mine');
    expect(() => new Results('again', { outDir: dir, verbose: false })).toThrow(
      `${dir} already holds a run (metrics.json). Re-run with --force`,
    );
    expect(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')).toBe('{"old": 1}');
    const r = new Results('again', { outDir: dir, force: true, verbose: false });
    r.log('fresh');
    const m = r.finish({ a: 1 }, { loss: NaN });
    expect(m.loss).toBeNaN();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')).loss).toBeNull(); // NaN -> null
    expect(fs.readFileSync(path.join(dir, 'log.txt'), 'utf8')).toMatch(/\] fresh\n$/);
    expect(fs.readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('mine');
  });

  it('parses --quick --out --seed --force --only --no-report and extra --key value flags', () => {
    expect(
      parseFlags([
        '--quick',
        '--out',
        'o',
        '--seed',
        '3',
        '--force',
        '--only',
        'ring8',
        '--no-report',
        '--text',
        'f.txt',
      ]),
    ).toEqual({
      quick: true,
      outDir: 'o',
      seed: 3,
      force: true,
      report: false,
      only: 'ring8',
      extra: { text: 'f.txt' },
    });
    expect(() => parseFlags(['--seed', 'x'])).toThrow('--seed must be an integer, got x');
    expect(() => parseFlags(['--bogus'])).toThrow('unknown argument --bogus');
  });
});

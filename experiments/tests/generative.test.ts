/**
 * Every experiment under experiments/generative runs in its --quick mode (smoke size), so none rots.
 * The full runs are bench accuracy cases (tools/bench/cases/generative.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '@aml/core';
import { run as twoSpin, twoSpinSamples, couplingsFrom } from '../generative/ising-two-spin-rbm';
import { run as toys } from '../generative/toys2d';
import { run as isingModels } from '../generative/ising-models';
import { run as shapes } from '../generative/shapes-images';
import { Rng } from '@aml/core';

const out = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `gen-${name}-`));

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('experiments/generative (quick mode)', () => {
  it('two-spin Ising: exact sampler and coupling estimators', () => {
    const J = 0.7;
    const d = twoSpinSamples(J, 40000, new Rng(1));
    const f = [0, 0, 0, 0];
    for (let i = 0; i < 40000; i++) f[d[2 * i] + 2 * d[2 * i + 1]] += 1 / 40000;
    expect(couplingsFrom(f).course).toBeCloseTo(J, 1);
    const z = 2 * Math.exp(J) + 2 * Math.exp(-J);
    expect(couplingsFrom([Math.exp(J) / z, Math.exp(-J) / z, Math.exp(-J) / z, Math.exp(J) / z]).symmetric).toBeCloseTo(
      J,
      12,
    );
  });

  it('ising-two-spin-rbm writes metrics.json with one row per coupling', async () => {
    const dir = out('two-spin');
    const m = await twoSpin({ quick: true, outDir: dir, report: false, verbose: false });
    expect(m.couplings.map((r) => r.J)).toEqual([-1, 1]);
    // 300 full-batch CD-1 updates on 600 samples: within 0.15 of J (the data's own estimate is within 0.1).
    expect(Math.abs(m.couplings[0].recovered + 1)).toBeLessThan(0.15);
    expect(Math.abs(m.couplings[1].recovered - 1)).toBeLessThan(0.15);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')).backend).toBe('wasm');
  });

  it('toys2d scores every model and the baselines', async () => {
    const m = await toys({ quick: true, outDir: out('toys'), report: false, verbose: false });
    const r = m.results.ring8;
    expect(Object.keys(r)).toEqual([
      'single Gaussian',
      'true (second draw)',
      'VAE',
      'GAN',
      'DDPM',
      'Real-NVP',
      'MADE (mixture)',
      'EBM',
    ]);
    expect(r['single Gaussian'].vsBaseline).toBe(1);
    // a second true draw is much closer to the truth than the fitted Gaussian
    expect(r['true (second draw)'].vsBaseline).toBeLessThan(0.2);
    for (const v of Object.values(r)) expect(Number.isFinite(v.mmd2)).toBe(true);
  });

  it('ising-models compares RBM, VAE and DDPM observables with Metropolis', async () => {
    const m = await isingModels({ quick: true, outDir: out('ising'), report: false, verbose: false });
    const rows = m.results['T=1.5'];
    expect(rows.map((r) => r.model)).toEqual([
      'Metropolis (training set)',
      'RBM',
      'exact RBM (sampling check)',
      'VAE',
      'DDPM',
    ]);
    // the training set itself matches the independent Metropolis reference
    expect(rows[0].energyRelErr).toBeLessThan(0.05);
    for (const r of rows) expect(r.absM).toBeGreaterThanOrEqual(0);
  });

  it('shapes-images trains the conv VAE, DCGAN and U-Net DDPM and writes the report', async () => {
    const dir = out('shapes');
    const m = await shapes({ quick: true, outDir: dir, report: true, verbose: false });
    expect(Object.keys(m.results)).toEqual(['Gaussian baseline', 'VAE', 'DCGAN', 'DDPM']);
    expect(fs.existsSync(path.join(dir, 'report.html'))).toBe(true);
  });
});

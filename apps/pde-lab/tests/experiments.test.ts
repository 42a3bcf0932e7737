/**
 * Every shipped experiment validates and runs end to end in its tiny --quick mode (few steps, few
 * points), each writing its own results folder, so none of them rots (DeepXDE's examples-as-tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pinnAdapter } from '../src/adapter/pinn';
import { runExperiment } from '../src/commands/run';
import { experimentNames } from '../src/catalog/catalog';
import { removeDir, tempDir } from '../src/testing/tmp';

describe('shipped experiments, quick', () => {
  let root: string;
  beforeAll(() => (root = tempDir()));
  afterAll(() => removeDir(root));

  const names = experimentNames();
  it('there are experiments to run', () => {
    for (const n of [
      'heat',
      'burgers',
      'allen-cahn',
      'poisson-1d',
      'poisson-2d',
      'wave',
      'oscillator',
      'exp-decay',
      'logistic',
      'lorenz',
      'lorenz-inverse',
      'black-scholes',
      'heat-inverse',
      'burgers-inverse',
      'advection',
      'kdv',
    ]) {
      expect(names).toContain(n);
    }
  });

  it.each(names)('%s', async (name) => {
    const out = path.join(root, name);
    const { metrics } = await runExperiment(
      { experiment: name, quick: true, backend: 'wasm', out, echo: null },
      pinnAdapter,
    );
    for (const f of ['config.json', 'metrics.json', 'report.html', 'log.txt', 'model/manifest.json'])
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    expect(Number.isFinite(metrics.finalLoss as number)).toBe(true);
    const errors = metrics.errors as Record<string, { relL2: number } | string>;
    const components = Object.values(errors).filter((e): e is { relL2: number } => typeof e === 'object');
    // every experiment ships a reference, so every run is scored
    expect(components.length).toBeGreaterThan(0);
    for (const e of components) expect(Number.isFinite(e.relL2)).toBe(true);
    // metrics name the engine that ran: the fused kernel also runs MLPs behind periodic / Fourier embeddings
    // (and KdV's u_xxx)
    if (name === 'allen-cahn' || name === 'kdv') expect(metrics.engine).toBe('fused');
    if (metrics.coefficients) {
      for (const c of Object.values(metrics.coefficients as Record<string, { learned: number; relError?: number }>)) {
        expect(Number.isFinite(c.learned)).toBe(true);
        expect(c.relError).toBeDefined(); // inverse experiments state the true values
      }
    }
  });
});

/**
 * Every experiment under experiments/generative runs in its --quick mode (smoke size), so none rots.
 * The full runs are bench accuracy cases (tools/bench/cases/generative.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '@aml/core';
import { run as twoSpin, twoSpinSamples, couplingsFrom } from '../../../experiments/generative/ising-two-spin-rbm';
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
    expect(couplingsFrom([Math.exp(J) / z, Math.exp(-J) / z, Math.exp(-J) / z, Math.exp(J) / z]).symmetric).toBeCloseTo(J, 12);
  });

  it('ising-two-spin-rbm writes metrics.json with one row per coupling', async () => {
    const dir = out('two-spin');
    const m = await twoSpin({ quick: true, outDir: dir, report: false, verbose: false });
    expect(m.couplings.map((r) => r.J)).toEqual([-1, 1]);
    // 60 full-batch updates already move J_eff to the right sign.
    expect(m.couplings[0].recovered).toBeLessThan(0);
    expect(m.couplings[1].recovered).toBeGreaterThan(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')).backend).toBe('wasm');
  });
});

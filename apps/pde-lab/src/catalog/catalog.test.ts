import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeDir, tempDir } from '../testing/tmp';
import { NETWORK_KINDS, parseProblemConfig, problemFromConfig } from '@aml/pinn';
import { deepMerge } from '@aml/sweep';
import { ConfigError, didYouMean, EXPERIMENTS_DIR, experimentNames, listExperiments, loadExperiment } from './catalog';

describe('experiment catalog', () => {
  let dir: string;
  const write = (name: string, v: unknown) =>
    fs.writeFileSync(path.join(dir, name), typeof v === 'string' ? v : JSON.stringify(v));
  beforeAll(() => {
    dir = tempDir();
    write('heat.json', {
      description: 'rod heat equation',
      problem: { equation: 'u_t - u_xx' },
      report: { grid: 21, slices: { axis: 't', at: [0.1] } },
    });
    write('typo.json', { description: 'x', problem: {}, reprot: { grid: 11 } });
    write('nested-typo.json', { description: 'x', problem: {}, report: { gird: 11 } });
    write('broken.json', '{ "description": "x",\n  "problem": {}\n  "seed": 1 }');
    write('bare.json', { equation: 'u_t - u_xx' });
  });
  afterAll(() => removeDir(dir));

  it('loads by name with defaults filled in', () => {
    const e = loadExperiment('heat', dir);
    expect(e.name).toBe('heat');
    expect(e.experiment.report).toEqual({ grid: 21, slices: { axis: 't', at: [0.1] } });
    expect(e.experiment.seed).toBeUndefined();
    expect(e.experiment.baselines).toEqual([]);
  });

  it('wraps a bare problem config', () => {
    const e = loadExperiment(path.join(dir, 'bare.json'), dir);
    expect(e.experiment.problem).toEqual({ equation: 'u_t - u_xx' });
    expect(e.experiment.report.grid).toBe(101);
  });

  it('an unknown name suggests the closest experiment and lists them', () => {
    expect(() => loadExperiment('haet', dir)).toThrow(
      "unknown experiment 'haet'; did you mean 'heat'? Shipped experiments: bare, broken, heat, nested-typo, typo.",
    );
    expect(() => loadExperiment('nope/x.json', dir)).toThrow('config file nope/x.json not found');
  });

  it('a typo in a key names it, suggests the right one and lists the allowed keys', () => {
    expect(() => loadExperiment('typo', dir)).toThrow(ConfigError);
    expect(() => loadExperiment('typo', dir)).toThrow(
      /\(top level\): unknown key 'reprot' \(did you mean 'report'\?\); allowed keys: name, description, source, problem, quick, truth, report, baselines, seed/,
    );
    expect(() => loadExperiment('nested-typo', dir)).toThrow(
      /report: unknown key 'gird' \(did you mean 'grid'\?\); allowed keys: grid, slices/,
    );
  });

  it('a JSON syntax error gives the file and line', () => {
    expect(() => loadExperiment('broken', dir)).toThrow(/broken\.json:3: not valid JSON/);
  });

  it('lists names with descriptions, marking broken files', () => {
    const l = listExperiments(dir);
    expect(l.find((x) => x.name === 'heat')?.description).toBe('rod heat equation');
    expect(l.find((x) => x.name === 'typo')?.description).toMatch(/^\(invalid: /);
  });

  it('every shipped experiment parses, with and without its quick block, and names a known network kind', () => {
    const names = experimentNames();
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const { experiment } = loadExperiment(name);
      const problem = parseProblemConfig(experiment.problem, name);
      expect(NETWORK_KINDS).toContain(problem.network.kind);
      if (experiment.quick)
        expect(() => parseProblemConfig(deepMerge(experiment.problem, experiment.quick), name)).not.toThrow();
    }
  });

  it('the Allen-Cahn ablation configs parse and build, each adding one method to the row before', () => {
    const folder = path.join(EXPERIMENTS_DIR, 'allen-cahn-ablation');
    const files = fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual([
      '1-plain.json',
      '2-embeddings.json',
      '3-factorized.json',
      '4-gradnorm.json',
      '5-causal.json',
      '6-exact-initial.json',
    ]);
    const built = files.map((f) => {
      const { experiment } = loadExperiment(path.join(folder, f));
      problemFromConfig(deepMerge(experiment.problem, experiment.quick ?? {}));
      return parseProblemConfig(experiment.problem, f);
    });
    expect(built.map((c) => c.training.adam.steps)).toEqual(Array(6).fill(4000));
    expect(built[0].network).not.toHaveProperty('fourier');
    expect(built[1].network).toMatchObject({ periodic: { x: 2 }, fourier: { sigma: 1 } });
    expect(built[2].network).toHaveProperty('factorized');
    expect(built[3].training.weighting?.scheme).toBe('gradnorm');
    expect(built[4].training.causal).toBeDefined();
    expect(built[5].constraint).toEqual({ h1: 'x^2*cos(pi*x)', h2: 't' });
  });

  it('didYouMean only suggests close words', () => {
    expect(didYouMean('burger', ['burgers', 'heat'])).toBe('burgers');
    expect(didYouMean('zzzzzz', ['burgers', 'heat'])).toBeUndefined();
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandSweep } from './expand';
import { runId } from './id';
import { deepMerge, getPath, setPath } from './paths';
import { loadSweepFile, makeSweepSpec } from './spec';
import { parseSetArgument, splitTopLevel } from './values';

const base = {
  seed: 0,
  network: { layers: [20, 20, 20], activation: 'tanh' },
  training: { points: 10000, adam: { steps: 2000, lr: 1e-3 }, sampler: 'lhs' },
  reference: null,
};
const command = 'node run.js --config {config} --out {out}';
const spec = (parameters: { path: string; values: unknown[] }[], seeds: number | number[] = 1) =>
  makeSweepSpec({ name: 's', base, parameters: parameters as never, seeds, seedPath: 'seed', command });

describe('--set parsing', () => {
  it('reads the issue\'s examples: arrays split on ";", numbers on ","', () => {
    expect(parseSetArgument('network.layers=[20,20,20];[50,50,50]')).toEqual({
      path: 'network.layers',
      values: [
        [20, 20, 20],
        [50, 50, 50],
      ],
    });
    expect(parseSetArgument('training.points=2000,10000')).toEqual({ path: 'training.points', values: [2000, 10000] });
    expect(parseSetArgument('network.activation=tanh,sin')).toEqual({
      path: 'network.activation',
      values: ['tanh', 'sin'],
    });
    expect(parseSetArgument('training.adam.lr=1e-3')).toEqual({ path: 'training.adam.lr', values: [0.001] });
    expect(splitTopLevel('{"a":[1,2]},"x,y"')).toEqual(['{"a":[1,2]}', '"x,y"']);
  });
  it('names the parameter when its value list is empty or malformed', () => {
    expect(() => parseSetArgument('training.points=')).toThrow(
      'parameter training.points: empty value list; give at least one value',
    );
    expect(() => parseSetArgument('training.points=2000,,3000')).toThrow(
      'parameter training.points: value 2 of "2000,,3000" is empty',
    );
    expect(() => parseSetArgument('training.points')).toThrow('--set "training.points": expected path=value1,value2');
  });
});

describe('validation against the base config', () => {
  it('rejects an unknown path, suggesting the closest key', () => {
    expect(() => spec([{ path: 'network.layer', values: [[10]] }])).toThrow(
      'parameter network.layer: no such key in the base config; did you mean network.layers?',
    );
    expect(() => spec([{ path: 'optimizer.lr', values: [1] }])).toThrow(
      /parameter optimizer\.lr: no such key in the base config$/m,
    );
  });
  it('rejects an empty value list', () => {
    expect(() => spec([{ path: 'training.points', values: [] }])).toThrow(
      'parameter training.points: empty value list',
    );
  });
  it('rejects a value of the wrong type, naming the parameter, the value and the expected type', () => {
    expect(() => spec([{ path: 'training.points', values: [2000, 'many'] }])).toThrow(
      'parameter training.points: value 2 "many" is a string, but the base config holds a number (10000)',
    );
    expect(() => spec([{ path: 'network.layers', values: [[20, 'x']] }])).toThrow(
      'parameter network.layers: value 1 [20,"x"] holds "x" (string), but the base config\'s array holds numbers',
    );
    expect(() => spec([{ path: 'network.layers', values: [20] }])).toThrow(
      'parameter network.layers: value 1 20 is a number, but the base config holds an array ([20,20,20])',
    );
    // a null in the base leaves the type open
    expect(() => spec([{ path: 'reference', values: ['exact', 1] }])).not.toThrow();
  });
  it('reports every problem at once, and refuses to vary the seed path or nested paths', () => {
    let msg = '';
    try {
      spec([
        { path: 'seed', values: [1, 2] },
        { path: 'training.adam', values: [{ steps: 1, lr: 1 }] },
        { path: 'training.adam.lr', values: [1] },
      ]);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('parameter seed: is the seed path; vary seeds with --seeds instead');
    expect(msg).toContain('parameter training.adam.lr: lies inside parameter training.adam');
  });
  it('checks the sweep name and the command template', () => {
    expect(() => makeSweepSpec({ name: '../x', base, parameters: [], seedPath: 'seed', command })).toThrow(
      /sweep name "\.\.\/x": use letters/,
    );
    expect(() => makeSweepSpec({ name: 'x', base, parameters: [], seedPath: 'seed', command: 'node run.js' })).toThrow(
      'must contain {config}',
    );
  });
});

describe('expansion', () => {
  const s = spec(
    [
      {
        path: 'network.layers',
        values: [
          [20, 20, 20],
          [50, 50, 50],
        ],
      },
      { path: 'training.points', values: [2000, 10000] },
    ],
    3,
  );
  const runs = expandSweep(s);
  it('gives one config per combination and seed, values written, base untouched', () => {
    expect(runs).toHaveLength(2 * 2 * 3);
    expect(new Set(runs.map((r) => r.id)).size).toBe(12);
    const r = runs[5]; // layers [20,20,20] (first 6), points 10000 (second 3), seed 2
    expect(r).toMatchObject({ values: { 'network.layers': [20, 20, 20], 'training.points': 10000 }, seed: 2 });
    expect(getPath(r.config, 'training.points')).toBe(10000);
    expect(getPath(r.config, 'training.adam.lr')).toBe(1e-3);
    expect(r.config.seed).toBe(2);
    expect(base.training.points).toBe(10000);
  });
  it('ids are stable: same values and seed give the same id whatever the flag order', () => {
    expect(runId({ 'training.points': 2000, 'network.layers': [20, 20, 20] }, 1)).toBe(
      runId({ 'network.layers': [20, 20, 20], 'training.points': 2000 }, 1),
    );
    expect(runs[0].id).toBe(runId({ 'network.layers': [20, 20, 20], 'training.points': 2000 }, 0));
    expect(runs[0].id).toMatch(/^[0-9a-f]{12}$/);
    expect(runId({ a: 1 }, 0)).not.toBe(runId({ a: 1 }, 1));
  });
  it('seed lists are explicit seeds; a repeated seed is an error', () => {
    expect(expandSweep(spec([], [7, 11])).map((r) => r.seed)).toEqual([7, 11]);
    expect(() => spec([], [3, 3])).toThrow('seeds: [3,3] lists a seed twice');
  });
  it('deepMerge merges objects key by key, replaces arrays and scalars, and leaves its inputs untouched', () => {
    const b = { training: { adam: { steps: 5000, lr: 1e-3 }, points: 10000 }, network: { layers: [50, 50] } };
    const out = deepMerge(b, { training: { adam: { steps: 20 } }, network: { layers: [8] } });
    expect(out).toEqual({ training: { adam: { steps: 20, lr: 1e-3 }, points: 10000 }, network: { layers: [8] } });
    expect(b.training.adam.steps).toBe(5000);
  });

  it('setPath with create makes the missing objects on the way (command-line overrides)', () => {
    const out = setPath({ a: { b: 1 } }, 'a.c.d', 3, { create: true });
    expect(out).toEqual({ a: { b: 1, c: { d: 3 } } });
    expect(getPath(out, 'a.c.d')).toBe(3);
    expect(getPath(out, 'a.x.y')).toBeUndefined();
    expect(() => setPath({ a: 1 }, 'a.b', 2, { create: true })).toThrow('cannot set "a.b": "a" is not an object');
  });

  it('setPath refuses to invent intermediate objects', () => {
    expect(() => setPath(base, 'network.activation.kind', 1)).toThrow(
      'cannot set "network.activation.kind": "activation" is not an object',
    );
  });
});

describe('sweep files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-file-'));
    writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (o: unknown) => {
    const f = join(dir, 'sweep.json');
    writeFileSync(f, JSON.stringify(o));
    return f;
  };
  const defaults = { seedPath: 'seed', command };

  it('loads a base path relative to the file, parameters, seeds and Slurm settings', () => {
    const f = write({
      name: 'sizes',
      base: 'base.json',
      parameters: { 'training.points': [2000, 10000] },
      seeds: 2,
      slurm: { partition: 'short', gpus: 1 },
    });
    const { spec: s, slurm } = loadSweepFile(f, defaults);
    expect(expandSweep(s)).toHaveLength(4);
    expect(s.baseFile).toBe(join(dir, 'base.json'));
    expect(slurm).toEqual({ partition: 'short', gpus: 1 });
  });
  it("rejects unknown keys and bad Slurm settings with zod's located messages", () => {
    expect(() => loadSweepFile(write({ name: 'x', base: 'base.json', parameters: {}, seed: 3 }), defaults)).toThrow(
      /Unrecognized key: "seed"/,
    );
    expect(() =>
      loadSweepFile(write({ name: 'x', base: 'base.json', parameters: {}, slurm: { time: '2 hours' } }), defaults),
    ).toThrow(/time: use MM, HH:MM:SS or D-HH:MM:SS[\s\S]*at slurm\.time/);
  });
  it('validates parameters against the base file, naming it', () => {
    expect(() =>
      loadSweepFile(write({ name: 'x', base: 'base.json', parameters: { 'training.pointz': [1] } }), defaults),
    ).toThrow(`parameter training.pointz: no such key in ${join(dir, 'base.json')}; did you mean training.points?`);
    expect(() =>
      loadSweepFile(write({ name: 'x', base: 'base.json', parameters: { 'training.points': [] } }), defaults),
    ).toThrow('parameter training.points: empty value list');
  });
});

import { problemFromConfig } from './build';
import { evaluationGrid } from '../evaluation/grid';

const burgers = {
  name: 'burgers',
  domain: { x: [-1, 1], t: [0, 1] },
  equation: 'u_t + u*u_x - (0.01/pi)*u_xx',
  conditions: [
    { type: 'initial', value: '-sin(pi*x)' },
    { type: 'dirichlet', on: 'x=-1 | x=1', value: '0' },
  ],
  network: { layers: [20, 20, 20], activation: 'tanh' },
  training: { points: 10000, sampler: 'lhs', adam: { steps: 2000, lr: 1e-3 }, lbfgs: { steps: 5000 } },
  reference: { solver: 'burgers', grid: [256, 100] },
};

describe('problemFromConfig', () => {
  it('builds the Burgers example config: geometry (x, t), equation, conditions, solver settings, reference', () => {
    const b = problemFromConfig(burgers);
    expect(b.problem.geometry.names).toEqual(['x', 't']);
    expect(b.problem.equations[0].symbols).toEqual(['u_t', 'u', 'u_x', 'u_xx']);
    expect(b.problem.conditions.map((c) => c.label)).toEqual(['initial(u)', 'dirichlet(u) on x=-1 | x=1']);
    expect(b.solver).toMatchObject({
      network: { hidden: [20, 20, 20], activation: 'tanh' },
      points: { domain: 10000, sampler: 'lhs' },
      adam: { steps: 2000, learningRate: 1e-3 },
      lbfgs: { steps: 5000 },
    });
    expect(b.solver.engine?.name).toBe('fused');
    expect(problemFromConfig({ ...burgers, training: { engine: 'taylor' } }).solver.engine?.name).toBe('taylor');
    const two = problemFromConfig({ ...burgers, training: { threads: 2 } }).solver.engine as { threads?: number };
    expect(two.threads).toBe(2);
    expect(() => problemFromConfig({ ...burgers, training: { engine: 'taylor', threads: 2 } })).toThrow(
      /training\.threads sets the fused kernel's threads, but training\.engine is 'taylor'/,
    );
    expect(() => problemFromConfig({ ...burgers, training: { threads: 0 } })).toThrow(/training\.threads/);
    const grid = evaluationGrid(b.problem.geometry, b.reference!.grid);
    expect(grid.length).toBe(256 * 100 * 2);
    const u = b.reference!.evaluate(Float64Array.from([0.5, 0]));
    expect(u[0]).toBeCloseTo(-1, 12);
  });

  it('exact references, shapes with time, trial solutions and generated noisy observations', () => {
    const b = problemFromConfig({
      name: 'heat-inverse',
      domain: { x: [0, 1], t: [0, 1] },
      equation: 'u_t = kappa*u_xx',
      parameters: { kappa: { initial: 0.5, trainable: true } },
      conditions: [{ type: 'observations', fromExact: { count: 50, noise: 0.01, seed: 1 } }],
      network: { layers: [10] },
      reference: { exact: 'exp(-pi^2*t)*sin(pi*x)' },
    });
    expect(b.problem.parameters.kappa).toEqual({ initial: 0.5, trainable: true });
    expect(b.reference!.evaluate(Float64Array.from([0.5, 0]))[0]).toBeCloseTo(1, 12);
    const d = problemFromConfig({
      name: 'poisson-disk',
      domain: {
        shape: 'difference',
        of: [
          { shape: 'box', axes: { x: [-1, 1], y: [-1, 1] } },
          { shape: 'disk', center: [0, 0], radius: 0.5 },
        ],
      },
      equation: 'u_xx + u_yy + 1',
      conditions: [{ type: 'dirichlet', value: 0 }],
      constraint: { h1: '0', h2: '(1-x^2)*(1-y^2)' },
      network: { layers: [8] },
    });
    expect(d.problem.geometry.inside([0, 0])).toBe(false);
    expect(d.problem.constraint).toBeDefined();
    const ode = problemFromConfig({
      name: 'decay',
      domain: { t: [0, 1] },
      equation: 'u_t + 2*u',
      conditions: [{ type: 'initial', value: 10 }],
      network: { layers: [10] },
    });
    expect(ode.problem.geometry.names).toEqual(['t']);
  });

  it('every condition type of the schema builds, with its label', () => {
    const b = problemFromConfig({
      name: 'all-conditions',
      domain: { x: [0, 1], t: [0, 1] },
      outputs: ['u', 'v'],
      equation: ['u_t - u_xx', 'v_t - v_xx'],
      conditions: [
        { type: 'initial', value: 'sin(pi*x)' },
        { type: 'initial', value: 0, derivative: 1, component: 'v' },
        { type: 'dirichlet', on: 'x=0', value: 0 },
        { type: 'neumann', on: 'x=1', value: '-pi*exp(-pi^2*t)' },
        { type: 'robin', on: 'x=1', a: 1, b: 2, value: 0, component: 'v' },
        { type: 'periodic', input: 'x', component: 'v' },
        { type: 'operator', expression: 'u_x + v', on: 'x=0' },
        { type: 'observations', points: [[0.5, 0.5]], values: [[0.1, 0.2]] },
      ],
      network: { layers: [4] },
    });
    expect(b.problem.conditions.map((c) => c.label)).toEqual([
      'initial(u)',
      'initial(v_t)',
      'dirichlet(u) on x=0',
      'neumann(u) on x=1',
      'robin(v) on x=1',
      'periodic(v) in x',
      'u_x + v on x=0',
      'observations(u, v)',
    ]);
    expect(
      evaluationGrid(
        problemFromConfig({
          name: 'd',
          domain: { shape: 'disk', center: [0, 0], radius: 1 },
          equation: 'u_xx + u_yy',
          network: { layers: [2] },
        }).problem.geometry,
        [21, 21],
      ).length / 2,
    ).toBeLessThan(21 * 21 * 0.8);
  });

  it.each([
    [
      'an unknown symbol',
      { equation: 'u_t + u*u_x - nu*u_xx' },
      'config: equation "u_t + u*u_x - nu*u_xx": unknown symbol nu; known symbols are x, t, u, u_x, u_t, u_xx, u_xt, u_tt',
    ],
    [
      'an empty domain',
      { domain: { x: [1, 1], t: [0, 1] } },
      'config: domain: box: x in [1, 1] is empty; the upper bound must exceed the lower bound',
    ],
    [
      'a negative resolution',
      { training: { points: -100 } },
      '✖ must be a positive integer, got -100\n  → at training.points',
    ],
    ['a typo in a field', { netwrk: { layers: [3] } }, 'Unrecognized key: "netwrk"'],
    [
      'a wrong dimension in a condition',
      { conditions: [{ type: 'observations', points: [[0.5]], values: [1] }] },
      'config: conditions[0] (observations): observations: point 0 has 1 coordinates; the domain has 2 (x, t)',
    ],
    [
      'a place that does not exist',
      { conditions: [{ type: 'dirichlet', on: 'x=3', value: 0 }] },
      'config: conditions[0]: dirichlet condition on x=3: found only 0 of 4 points',
    ],
    ['an unknown activation', { network: { layers: [3], activation: 'tanhh' } }, 'at network.activation'],
    ['a bad grid', { reference: { solver: 'burgers', grid: [0, 10] } }, 'at reference.grid[0]'],
    [
      'a grid of the wrong dimension',
      { reference: { solver: 'burgers', grid: [10, 10, 10] } },
      'reference.grid has 3 resolution(s) but the domain has 2 axes (x, t)',
    ],
  ])('fails before training on %s', (_what, patch, message) => {
    expect(() => problemFromConfig({ ...burgers, ...patch })).toThrow(message);
  });

  it('training methods by name: causal, gradnorm, warm-up and smooth decay, resampling, marching; bad options fail before training naming the field', () => {
    const training = {
      points: 512,
      adam: { steps: 100, lr: 2e-3, warmup: 10, decay: { rate: 0.9, every: 50, staircase: false } },
      weighting: { scheme: 'gradnorm', every: 20 },
      causal: { chunks: 16, epsilon: [0.1, 1], delta: 0.95 },
      resample: { every: 25, method: 'rad', k: 2, c: 0 },
      marching: { windows: 4, mode: 'fresh' },
    };
    const b = problemFromConfig({ ...burgers, training });
    expect(b.solver).toMatchObject({
      adam: { steps: 100, learningRate: 2e-3, warmup: 10, decay: { rate: 0.9, every: 50, staircase: false } },
      weighting: { scheme: 'gradnorm', every: 20 },
      causal: { chunks: 16, epsilon: [0.1, 1], delta: 0.95 },
      resample: { every: 25, method: 'rad', k: 2, c: 0 },
      marching: { windows: 4, mode: 'fresh' },
    });
    expect(b.problem.spec).toBeDefined(); // what marching rebuilds per window
    const bad = (tr: object) => () => problemFromConfig({ ...burgers, training: tr }, 'b.json');
    expect(bad({ causal: { chunk: 8 } })).toThrow(/Unrecognized key: "chunk"[\s\S]*training\.causal/);
    expect(bad({ causal: { epsilon: [] } })).toThrow(/needs at least one value[\s\S]*training\.causal\.epsilon/);
    expect(bad({ weighting: { scheme: 'gradnorm', momentum: 1 } })).toThrow(
      /must be in \[0, 1\)[\s\S]*training\.weighting\.momentum/,
    );
    expect(bad({ resample: { every: 0 } })).toThrow(/training\.resample\.every/);
    expect(bad({ marching: { windows: 2, mode: 'backwards' } })).toThrow(/training\.marching\.mode/);
    expect(bad({ adam: { steps: 10, warmup: -1 } })).toThrow(
      /must be an integer >= 0, got -1[\s\S]*training\.adam\.warmup/,
    );
    expect(bad({ points: 8, causal: {} })).toThrow(
      'b.json: training.causal.chunks (32) exceeds the residual points (8)',
    );
    expect(() =>
      problemFromConfig(
        {
          ...burgers,
          domain: { x: [0, 1] },
          equation: 'u_xx + 1',
          conditions: [],
          reference: undefined,
          training: { causal: {} },
        },
        'p.json',
      ),
    ).toThrow('p.json: training.causal needs a time axis named t in the domain; this one has x');
  });
});

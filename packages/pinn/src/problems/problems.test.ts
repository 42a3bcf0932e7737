import { expSafe, initBackend, inputDerivatives, Rng, tf } from '@aml/core';
import { dirichlet, initial, neumann, observations, operator, periodic, robin } from '../conditions/index';
import { trialSolution } from '../constraints/constraint';
import type { DerivativeEngine } from '../derivatives/engine';
import { createMlp, disposeMlp } from '../derivatives/mlp';
import { mlpForward } from '../derivatives/nested';
import { taylorEngine } from '../derivatives/taylor';
import { disk, interval, rectangle, timeDomain, type Geometry } from '../geometry/index';
import { computeFields, pointsTensor } from '../solver/fields';
import { numberAlgebra } from './algebras';
import { compileExpression } from './expression';
import { definePde, type Problem } from './problem';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** An engine that returns the derivatives of a known function (nested autodiff of tape-safe ops). */
function exactEngine(f: (x: tf.Tensor2D) => tf.Tensor2D): DerivativeEngine {
  return { name: 'exact', derivatives: (_net, x, req) => inputDerivatives(f, x, req) };
}
const col = (x: tf.Tensor2D, i: number) => tf.slice(x, [0, i], [-1, 1]);

/** Max |residual| of every condition and equation of a problem on the exact solution. */
function maxResiduals(problem: Problem, engine: DerivativeEngine, n = 64): Record<string, number> {
  const net = createMlp(
    { inputs: problem.geometry.dim, hidden: [3], outputs: problem.names.outputs.length, activation: 'tanh' },
    new Rng(0),
  );
  const rng = new Rng(1);
  const out: Record<string, number> = {};
  const worst = (ts: tf.Tensor[]) => Math.max(...ts.map((t) => tf.max(tf.abs(t)).dataSync()[0]));
  tf.tidy(() => {
    const xi = pointsTensor(problem.geometry.sampleInterior(n, rng, 'lhs'), problem.geometry.dim);
    const symbols = [...new Set(problem.equations.flatMap((e) => e.symbols))];
    const f = computeFields(net, engine, xi, symbols, problem.names);
    out.pde = worst(problem.equations.flatMap((e) => e.evaluate(f, {})));
    for (const c of problem.conditions) {
      const s = c.sample(n, rng, 'uniform');
      const d = problem.geometry.dim;
      const x = pointsTensor(s.x, d);
      const normals = s.normals ? pointsTensor(s.normals, d) : undefined;
      const data = s.data ? pointsTensor(s.data, s.dataColumns ?? 1) : undefined;
      const fc = computeFields(net, engine, x, c.symbols, problem.names, undefined, normals);
      out[c.label] = worst(c.residual(fc, {}, data));
    }
  });
  disposeMlp(net);
  return out;
}

describe('equations as text and as functions', () => {
  it('the text-compiled Burgers residual equals the hand-written one', () => {
    const geometry = timeDomain(interval(-1, 1), 0, 1);
    const nu = 0.01 / Math.PI;
    const text = definePde({ geometry, equation: 'u_t + u*u_x - (0.01/pi)*u_xx' });
    const fn = definePde({ geometry, equation: (_x, { u }, d) => d.u_t.add(u.mul(d.u_x)).sub(d.u_xx.mul(nu)) });
    expect([...text.equations[0].symbols].sort()).toEqual(['u', 'u_t', 'u_x', 'u_xx']);
    expect([...fn.equations[0].symbols].sort()).toEqual(['u', 'u_t', 'u_x', 'u_xx']);
    const net = createMlp({ inputs: 2, hidden: [8, 8], outputs: 1, activation: 'tanh' }, new Rng(3));
    const diff = tf.tidy(() => {
      const x = pointsTensor(geometry.sampleInterior(50, new Rng(4)), 2);
      const f = computeFields(net, taylorEngine, x, text.equations[0].symbols, text.names);
      const a = text.equations[0].evaluate(f, {})[0];
      const b = fn.equations[0].evaluate(f, {})[0];
      expect(tf.max(tf.abs(a)).dataSync()[0]).toBeGreaterThan(1e-3); // not trivially zero
      return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    });
    expect(diff).toBeLessThan(1e-6);
    disposeMlp(net);
  });

  it('a system: two outputs, mixed derivative symbols, equation with "="', () => {
    const p = definePde({
      geometry: rectangle([0, 0], [1, 1]),
      outputs: ['u', 'v'],
      equation: ['u_xy = v', 'v_x + u_y'],
    });
    expect(p.equations[0].symbols).toEqual(['u_xy', 'v']);
    expect(p.equations[1].symbols).toEqual(['v_x', 'u_y']);
  });

  it('unknown symbols fail before training, naming them and the known ones', () => {
    const geometry = timeDomain(interval(0, 1), 0, 1);
    expect(() => definePde({ geometry, equation: 'u_t - k*u_xx + w' })).toThrow(
      'equation "u_t - k*u_xx + w": unknown symbols k, w; known symbols are x, t, u, u_x, u_t, u_xx, u_xt, u_tt (and the constants pi, e)',
    );
    expect(() => definePde({ geometry, equation: (_x, _u, d) => d.u_yy })).toThrow(
      'the residual reads d.u_yy, which is not a known symbol',
    );
    expect(() => definePde({ geometry, equation: 'u_t - foo(u_xx)' })).toThrow('unknown function foo()');
    expect(() => definePde({ geometry, equation: 'u_t - ' })).toThrow('does not parse');
    expect(() => definePde({ geometry, equation: 'u_t - u_xx', conditions: [dirichlet('q', { on: 'x=0' })] })).toThrow(
      'dirichlet condition value "q": unknown symbol q; known symbols are x, t',
    );
    expect(() => definePde({ geometry, equation: 'u_t', conditions: [dirichlet('0', { component: 'v' })] })).toThrow(
      'unknown component v; outputs are u',
    );
    expect(() =>
      definePde({ geometry: rectangle([0, 0], [1, 1]), equation: 'u_xx', conditions: [initial('0')] }),
    ).toThrow('has no time axis');
  });

  it('parameters are symbols of the equation (inverse problems)', () => {
    const p = definePde({
      geometry: timeDomain(interval(0, 1), 0, 1),
      equation: 'u_t - kappa*u_xx',
      parameters: { kappa: { initial: 0.5, trainable: true } },
    });
    expect(p.equations[0].symbols).toEqual(['u_t', 'u_xx']);
    const r = tf.tidy(() => {
      const f = { u_t: tf.tensor2d([[1]]), u_xx: tf.tensor2d([[2]]), x: tf.tensor2d([[0]]), t: tf.tensor2d([[0]]) };
      return p.equations[0].evaluate(f, { kappa: tf.scalar(0.25) })[0].dataSync()[0];
    });
    expect(r).toBeCloseTo(0.5, 6);
  });

  it('compiled predicates and numbers: x=-1 | x=1, comparisons, constants', () => {
    const c = compileExpression('x=-1 | x=1', ['x'], { mode: 'predicate' });
    expect(c.evaluate(numberAlgebra, { x: 1 })).toBe(1);
    expect(c.evaluate(numberAlgebra, { x: -1 + 1e-9 })).toBe(1);
    expect(c.evaluate(numberAlgebra, { x: 0 })).toBe(0);
    const g = compileExpression('x <= 0.5 and y > 2*pi', ['x', 'y'], { mode: 'predicate' });
    expect(g.evaluate(numberAlgebra, { x: 0.5, y: 7 })).toBe(1);
    expect(g.evaluate(numberAlgebra, { x: 0.5, y: 6 })).toBe(0);
    expect(compileExpression('-sin(pi*x)^2 + e', ['x']).evaluate(numberAlgebra, { x: 0.25 })).toBeCloseTo(
      Math.E - 0.5,
      14,
    );
  });
});

const heatExact = (x: tf.Tensor2D) =>
  tf.mul(expSafe(tf.mul(-Math.PI * Math.PI, col(x, 1))), tf.sin(tf.mul(Math.PI, col(x, 0)))) as tf.Tensor2D;
const waveExact = (x: tf.Tensor2D) =>
  tf.mul(tf.sin(tf.mul(Math.PI, col(x, 0))), tf.cos(tf.mul(Math.PI, col(x, 1)))) as tf.Tensor2D;
const radial = (x: tf.Tensor2D) => tf.sum(tf.square(x), 1, true) as tf.Tensor2D; // x^2 + y^2
const periodicExact = (x: tf.Tensor2D) =>
  tf.mul(tf.sin(tf.mul(2 * Math.PI, col(x, 0))), tf.cos(col(x, 1))) as tf.Tensor2D;

describe('each condition is zero on its exact solution', () => {
  const heatGeom: Geometry = timeDomain(interval(0, 1), 0, 1);
  const cases: [string, Problem, (x: tf.Tensor2D) => tf.Tensor2D, number][] = [
    [
      'heat: initial + Dirichlet (predicate and named boundary) + equation',
      definePde({
        geometry: heatGeom,
        equation: 'u_t - u_xx',
        conditions: [initial('sin(pi*x)'), dirichlet('0', { on: 'x=0 | x=1' }), dirichlet(0, { on: 'x=1' })],
      }),
      heatExact,
      2e-4,
    ],
    [
      'wave: initial velocity (derivative 1) and u_tt = u_xx',
      definePde({
        geometry: heatGeom,
        equation: 'u_tt - u_xx',
        conditions: [initial('0', { derivative: 1 }), initial((x) => tf.sin(tf.mul(Math.PI, x.x)))],
      }),
      waveExact,
      5e-4,
    ],
    [
      'disk: Neumann du/dn = 2, Robin u + du/dn = 3, operator with normals, Laplace u = 4',
      definePde({
        geometry: disk([0, 0], 1),
        equation: 'u_xx + u_yy - 4',
        conditions: [neumann('2'), robin(1, 1, 3), operator('n_x*u_x + n_y*u_y - 2*(x^2+y^2)'), dirichlet('x^2 + y^2')],
      }),
      radial,
      2e-5,
    ],
    [
      'periodic in x (value and derivative)',
      definePde({ geometry: timeDomain(interval(0, 1), 0, 1), equation: 'u_t - u_t', conditions: [periodic('x')] }),
      periodicExact,
      2e-5,
    ],
    [
      'observations at given points',
      definePde({
        geometry: heatGeom,
        equation: 'u_t - u_xx',
        conditions: [
          observations(
            [
              [0.5, 0],
              [0.25, 0],
            ],
            [1, Math.SQRT1_2],
          ),
        ],
      }),
      heatExact,
      2e-4,
    ],
  ];
  it.each(cases)('%s', (_name, problem, exact, tol) => {
    const r = maxResiduals(problem, exactEngine(exact));
    for (const [label, v] of Object.entries(r)) expect([label, v < tol]).toEqual([label, true]);
    expect(Object.keys(r).length).toBe(problem.conditions.length + 1);
  });
  it('a wrong value is caught: Dirichlet u = 1 on the heat solution has residual 1', () => {
    const p = definePde({ geometry: heatGeom, equation: 'u_t - u_xx', conditions: [dirichlet('1', { on: 'x=0' })] });
    expect(maxResiduals(p, exactEngine(heatExact))['dirichlet(u) on x=0']).toBeCloseTo(1, 5);
  });
  it('a place that does not exist fails with a message', () => {
    const p = definePde({ geometry: heatGeom, equation: 'u_t - u_xx', conditions: [dirichlet('0', { on: 'x=2' })] });
    expect(() => p.conditions[0].sample(10, new Rng(0), 'uniform')).toThrow(
      'dirichlet condition on x=2: found only 0 of 10 points',
    );
  });
});

describe('trial solutions (hard constraints)', () => {
  it('g = h1 + h2 N: derivatives by the product rule equal nested autodiff of g', () => {
    const geometry = timeDomain(interval(0, 1), 0, 1);
    const p = definePde({
      geometry,
      equation: 'u_t - u_xx',
      constraint: trialSolution('(1-t)*sin(pi*x)', 'x*(1-x)*t'),
    });
    const net = createMlp({ inputs: 2, hidden: [6, 6], outputs: 1, activation: 'sin' }, new Rng(8));
    const worst = tf.tidy(() => {
      const x = pointsTensor(geometry.sampleInterior(20, new Rng(2)), 2);
      const symbols = ['u', 'u_x', 'u_t', 'u_xx', 'u_xt'];
      const f = computeFields(net, taylorEngine, x, symbols, p.names, p.constraint);
      const g = (y: tf.Tensor2D) => {
        const xs = col(y, 0);
        const ts = col(y, 1);
        const h1 = tf.mul(tf.sub(1, ts), tf.sin(tf.mul(Math.PI, xs)));
        const h2 = tf.mul(tf.mul(xs, tf.sub(1, xs)), ts);
        return tf.add(h1, tf.mul(h2, mlpForward(net, y))) as tf.Tensor2D;
      };
      const ref = inputDerivatives(g, x, [[], [0], [1], [0, 0], [0, 1]]);
      return Math.max(...symbols.map((s, i) => tf.max(tf.abs(tf.sub(f[s], ref[i]))).dataSync()[0]));
    });
    expect(worst).toBeLessThan(2e-5);
    disposeMlp(net);
  });
  it('the trial solution satisfies its conditions exactly for any network', () => {
    const geometry = timeDomain(interval(0, 1), 0, 1);
    const p = definePde({
      geometry,
      equation: 'u_t - u_xx',
      constraint: trialSolution('(1-t)*sin(pi*x)', 'x*(1-x)*t'),
    });
    const net = createMlp({ inputs: 2, hidden: [5], outputs: 1, activation: 'tanh' }, new Rng(9));
    const bd = tf.tensor2d([
      [0, 0.3],
      [1, 0.7],
      [0.25, 0],
      [0.5, 0],
    ]);
    const u = tf.tidy(() =>
      Array.from(computeFields(net, taylorEngine, bd, ['u'], p.names, p.constraint).u.dataSync()),
    );
    expect(u[0]).toBeCloseTo(0, 6);
    expect(u[1]).toBeCloseTo(0, 6);
    expect(u[2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(u[3]).toBeCloseTo(1, 6);
    bd.dispose();
    disposeMlp(net);
  });
});

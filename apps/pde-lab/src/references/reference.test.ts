import { buildReference } from './reference';
import { referenceSchema } from './schema';

const heatExact = (x: number, t: number) => Math.exp(-Math.PI * Math.PI * t) * Math.sin(Math.PI * x);
const pts = (rows: number[][]) => Float64Array.from(rows.flat());

describe('references', () => {
  it('ode: unknown symbols and missing outputs fail with the known names', () => {
    const ctx = { inputs: ['t'], outputs: ['x', 'v'], box: { lo: [0], hi: [1] } };
    expect(() => buildReference(referenceSchema.parse({ type: 'ode', rhs: { x: 'v', v: '-k*x' }, initial: { x: 1, v: 0 } }), ctx)).toThrow(
      'reference.rhs.v "-k*x": unknown symbol k; known symbols are t, x, v',
    );
    expect(() => buildReference(referenceSchema.parse({ type: 'ode', rhs: { x: 'v' }, initial: { x: 1, v: 0 } }), ctx)).toThrow("reference.rhs: no entry for output 'v'");
  });

  it('ode: RK45 matches the closed form of a damped oscillator to 1e-8', () => {
    // x'' + 2 z w x' + w^2 x = 0 as a system; x(0) = 1, v(0) = 0, underdamped.
    const spec = referenceSchema.parse({ type: 'ode', rhs: { x: 'v', v: '-2*z*w*v - w^2*x' }, initial: { x: 1, v: 0 }, parameters: { z: 0.1, w: 2 } });
    const f = buildReference(spec, { inputs: ['t'], outputs: ['x', 'v'], box: { lo: [0], hi: [5] } });
    const ts = [0, 0.5, 2.5, 5, 1];
    const v = f(Float64Array.from(ts));
    const wd = 2 * Math.sqrt(1 - 0.01);
    ts.forEach((t, i) => {
      const x = Math.exp(-0.2 * t) * (Math.cos(wd * t) + (0.2 / wd) * Math.sin(wd * t));
      expect(Math.abs(v[2 * i] - x)).toBeLessThan(1e-8);
    });
  });

  it('lines: heat equation (Dirichlet and periodic) converges at second order in dx', () => {
    const ctx = { inputs: ['x', 't'], outputs: ['u'], box: { lo: [0, 0], hi: [1, 0.5] } };
    const where = [[0.5, 0.1], [0.25, 0.3], [0.5, 0]];
    const err = (nx: number, boundary: unknown, hi: number) => {
      const f = buildReference(referenceSchema.parse({ type: 'lines', rhs: 'u_xx', initial: 'sin(pi*x)', boundary, nx }), { ...ctx, box: { lo: [0, 0], hi: [hi, 0.5] } });
      const v = f(pts(where));
      return Math.max(...where.map(([x, t], i) => Math.abs(v[i] - heatExact(x, t))));
    };
    const e1 = err(16, { dirichlet: [0, 0] }, 1);
    const e2 = err(32, { dirichlet: [0, 0] }, 1);
    expect(e2).toBeLessThan(3e-4);
    expect(e1 / e2).toBeGreaterThan(3.5);
    expect(e1 / e2).toBeLessThan(4.5);
    // periodic on [0, 2]: the same solution
    expect(err(64, 'periodic', 2)).toBeLessThan(3e-4);
  });
});

import type { FtcsBaseline } from '../catalog/schema';
import { solveFtcs } from './ftcs';

const heat = (dx: number, r = 0.5): FtcsBaseline => ({
  type: 'ftcs',
  dx,
  r,
  diffusivity: 1,
  initial: 'sin(pi*x)',
  boundary: [0, 0],
  space: 'x',
  time: 't',
});
const exact = (x: number, t: number) => Math.exp(-Math.PI * Math.PI * t) * Math.sin(Math.PI * x);

function maxErr(dx: number, t: number, r = 0.5): number {
  const res = solveFtcs(heat(dx, r), 0, 1, [t]);
  const s = res.snapshots[0];
  return Math.max(...Array.from(res.x, (x, i) => Math.abs(s.u[i] - exact(x, s.t))));
}

describe('FTCS heat scheme', () => {
  it('uses dt = r dx^2 and lands on the requested times', () => {
    const res = solveFtcs(heat(0.1), 0, 1, [0.5, 0.05]);
    expect(res.dt).toBeCloseTo(0.005, 15);
    expect(res.snapshots[0].t).toBeCloseTo(0.5, 12);
    expect(res.snapshots[1].t).toBeCloseTo(0.05, 12);
    expect(res.x).toHaveLength(11);
    expect(res.snapshots[0].u[0]).toBe(0);
    expect(res.snapshots[0].u[10]).toBe(0);
  });

  it('converges at second order in dx at the stability limit (error ratio ~4 when dx halves)', () => {
    const e1 = maxErr(0.1, 0.1);
    const e2 = maxErr(0.05, 0.1);
    const e3 = maxErr(0.025, 0.1);
    expect(e1 / e2).toBeGreaterThan(3.5);
    expect(e1 / e2).toBeLessThan(4.5);
    expect(e2 / e3).toBeGreaterThan(3.8);
    expect(e2 / e3).toBeLessThan(4.2);
    // dx = 1/100 (the course's fine grid): about 6e-5 at t = 0.1, 100 times better than dx = 1/10
    expect(maxErr(0.01, 0.1)).toBeLessThan(1e-4);
    expect(e1 / maxErr(0.01, 0.1)).toBeGreaterThan(90);
  });

  it('one step matches the hand-computed update', () => {
    // dx = 0.25, r = 0.5: u_i^1 = (u_{i-1} + u_{i+1}) / 2
    const b = { ...heat(0.25), initial: 'x*(1-x)' };
    const res = solveFtcs(b, 0, 1, [0.5 * 0.25 * 0.25]);
    // u0 = [0, 3/16, 1/4, 3/16, 0] -> [0, 1/8, 3/16, 1/8, 0]
    expect(Array.from(res.snapshots[0].u)).toEqual([0, 0.125, 0.1875, 0.125, 0]);
  });

  it('refuses r above the stability limit and a dx that does not divide the rod', () => {
    expect(() => solveFtcs(heat(0.1, 0.6), 0, 1, [0.1])).toThrow('ftcs.r = 0.6 is above the stability limit 1/2');
    expect(() => solveFtcs(heat(0.3), 0, 1, [0.1])).toThrow('ftcs.dx = 0.3 does not divide [0, 1]');
    expect(() => solveFtcs({ ...heat(0.1), initial: 'sin(pi*y)' }, 0, 1, [0.1])).toThrow(
      'ftcs.initial "sin(pi*y)": unknown symbol y; known symbols are x',
    );
  });
});

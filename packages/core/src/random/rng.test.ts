import { Rng } from './rng';

describe('Rng', () => {
  it('same seed, same stream; different seeds differ', () => {
    const a = new Rng(42),
      b = new Rng(42),
      c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.uniform());
    const xb = Array.from({ length: 5 }, () => b.uniform());
    const xc = Array.from({ length: 5 }, () => c.uniform());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('uniform and normal have the right moments', () => {
    const r = new Rng(1);
    const n = 200000;
    let su = 0,
      su2 = 0,
      sn = 0,
      sn2 = 0,
      sn4 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      su += u;
      su2 += u * u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      sn4 += z ** 4;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(su2 / n - (su / n) ** 2).toBeCloseTo(1 / 12, 3);
    expect(Math.abs(sn / n)).toBeLessThan(0.01);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(sn4 / n).toBeGreaterThan(2.9); // kurtosis 3
    expect(sn4 / n).toBeLessThan(3.1);
  });

  it('state round-trips exactly, including the Box-Muller spare', () => {
    const r = new Rng(7);
    r.normal(); // leaves a spare
    const st = JSON.parse(JSON.stringify(r.getState()));
    const x = [r.normal(), r.uniform(), r.int(10)];
    const r2 = Rng.fromState(st);
    expect([r2.normal(), r2.uniform(), r2.int(10)]).toEqual(x);
  });

  it('permutation is a permutation', () => {
    const p = Array.from(new Rng(3).permutation(100)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('rejects bad arguments by name', () => {
    expect(() => new Rng(NaN)).toThrow('seed must be a finite integer, got NaN');
    expect(() => new Rng(1).int(0)).toThrow('Rng.int: n must be >= 1, got 0');
  });
});

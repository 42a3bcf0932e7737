import { erf } from './erf';

describe('erf (float64)', () => {
  it('matches tabulated values on both branches (series below 2.5, continued fraction above)', () => {
    // reference values: Python's math.erf (correctly rounded to ~1 ulp)
    const table: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [-2, -0.9953222650189527],
      [2.49, 0.9995707121322661],
      [2.5, 0.999593047982555],
      [3, 0.9999779095030014],
      [-4, -0.9999999845827421],
    ];
    for (const [x, v] of table) expect(Math.abs(erf(x) - v)).toBeLessThan(1e-14);
  });
});

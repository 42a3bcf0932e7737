import { parseKeys } from '../commands/eval';
import { componentErrors } from './errors';

describe('eval errors and options', () => {
  it('errors: relative L2, max and RMSE against hand values', () => {
    const e = componentErrors([1, 2, 2], [1, 2, 3]);
    expect(e.relL2).toBeCloseTo(1 / Math.sqrt(14), 15);
    expect(e.maxAbs).toBe(1);
    expect(e.rmse).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(e.meanAbs).toBeCloseTo(1 / 3, 15);
    expect(componentErrors([NaN, 1], [1, 1]).relL2).toBeNaN();
  });

  it('parses --keys into problem -> file names, naming bad pairs', () => {
    expect(parseKeys('x=x, t=tt,u=usol')).toEqual({ x: 'x', t: 'tt', u: 'usol' });
    expect(() => parseKeys('x=x,t')).toThrow(
      "--keys: 't' is not name=name; give problem=file pairs, e.g. --keys x=x,t=t,u=usol",
    );
    expect(() => parseKeys('u=a,u=b')).toThrow("--keys: 'u' is mapped twice");
    expect(() => parseKeys(',')).toThrow('--keys: no pairs given');
  });
});

import { deepMerge, getPath, setPath } from './merge';

describe('config merge', () => {
  it('merges objects key by key and replaces arrays and scalars', () => {
    const base = { training: { adam: { steps: 5000, lr: 1e-3 }, points: 10000 }, network: { layers: [50, 50] } };
    const out = deepMerge(base, { training: { adam: { steps: 20 } }, network: { layers: [8] } });
    expect(out).toEqual({ training: { adam: { steps: 20, lr: 1e-3 }, points: 10000 }, network: { layers: [8] } });
    expect(base.training.adam.steps).toBe(5000); // input untouched
  });

  it('sets and gets dotted paths', () => {
    const out = setPath({ a: { b: 1 } }, 'a.c.d', 3);
    expect(out).toEqual({ a: { b: 1, c: { d: 3 } } });
    expect(getPath(out, 'a.c.d')).toBe(3);
    expect(getPath(out, 'a.x.y')).toBeUndefined();
  });
});

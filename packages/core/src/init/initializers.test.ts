import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { Rng } from '../random/rng';
import {
  fans,
  getInitializer,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  normalInit,
  type Initializer,
} from './initializers';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

function moments(t: tf.Tensor) {
  const v = t.dataSync();
  let s = 0,
    s2 = 0,
    max = 0;
  for (const x of v) {
    s += x;
    s2 += x * x;
    max = Math.max(max, Math.abs(x));
  }
  const mean = s / v.length;
  return { mean, variance: s2 / v.length - mean * mean, max };
}

describe('initializers', () => {
  it('fans of dense and conv kernels', () => {
    expect(fans([3, 7])).toEqual({ fanIn: 3, fanOut: 7 });
    expect(fans([5, 5, 3, 16])).toEqual({ fanIn: 75, fanOut: 400 });
    expect(fans([10])).toEqual({ fanIn: 10, fanOut: 10 });
  });

  // shape (300, 500): 150,000 draws, so the sample variance is within about 0.4% (1 sigma); test at 2%.
  const shape = [300, 500];
  it.each<[string, Initializer, number, number | null]>([
    ['glorotNormal', glorotNormal, 2 / 800, null],
    ['glorotUniform', glorotUniform, 2 / 800, Math.sqrt(6 / 800)],
    ['heNormal', heNormal, 2 / 300, null],
    ['heUniform', heUniform, 2 / 300, Math.sqrt(6 / 300)],
    ['normal(0, 0.1)', normalInit(0, 0.1), 0.01, null],
  ])('%s has mean 0 and the closed-form variance', (_n, init, variance, limit) => {
    const t = init(shape, new Rng(5));
    const m = moments(t);
    expect(Math.abs(m.mean)).toBeLessThan(4 * Math.sqrt(variance / 150000));
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.02);
    if (limit !== null) {
      expect(m.max).toBeLessThanOrEqual(limit);
      expect(m.max).toBeGreaterThan(0.999 * limit);
    }
    t.dispose();
  });

  it('same seed, same weights; another seed, others', () => {
    const a = glorotUniform([4, 4], new Rng(1)),
      b = glorotUniform([4, 4], new Rng(1)),
      c = glorotUniform([4, 4], new Rng(2));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    tf.dispose([a, b, c]);
  });

  it('bad input names the problem', () => {
    expect(() => getInitializer('xavier')).toThrow(
      "unknown initializer 'xavier'; use one of glorotNormal, glorotUniform, heNormal, heUniform, normal, zeros",
    );
    expect(() => heNormal([3, 0], new Rng(1))).toThrow('heNormal: shape must be positive integers, got [3,0]');
    expect(() => normalInit(0, -1)).toThrow('normalInit: std must be a finite number >= 0, got -1');
  });
});

import { constant, cosineDecay, exponentialDecay, linearWarmup, sequence, stepDecay, warmupDecay } from './schedules';

describe('schedules', () => {
  it('constant and step decay', () => {
    expect(constant(0.1)(12345)).toBe(0.1);
    const s = stepDecay({ initial: 1e-2, factor: 0.1, every: 1000 });
    expect(s(0)).toBe(1e-2);
    expect(s(999)).toBe(1e-2);
    expect(s(1000)).toBeCloseTo(1e-3, 15);
    expect(s(2500)).toBeCloseTo(1e-4, 15);
  });

  it('exponential decay is smooth: rate per `every` steps', () => {
    const s = exponentialDecay({ initial: 1e-3, rate: 0.9, every: 1000 });
    expect(s(1000)).toBeCloseTo(9e-4, 15);
    expect(s(500)).toBeCloseTo(1e-3 * Math.sqrt(0.9), 15);
    expect(exponentialDecay({ initial: 1, rate: 0.5 })(3)).toBe(0.125);
  });

  it('cosine decay: initial, midpoint, final, then flat', () => {
    const s = cosineDecay({ initial: 1e-3, steps: 100, final: 1e-5 });
    expect(s(0)).toBeCloseTo(1e-3, 15);
    expect(s(50)).toBeCloseTo((1e-3 + 1e-5) / 2, 15);
    expect(s(25)).toBeCloseTo(1e-5 + ((1e-3 - 1e-5) * (1 + Math.SQRT1_2)) / 2, 15);
    expect(s(100)).toBeCloseTo(1e-5, 15);
    expect(s(1000)).toBeCloseTo(1e-5, 15);
  });

  it('linear warm-up ramps to the wrapped schedule, which then starts at its own step 0', () => {
    const s = linearWarmup(cosineDecay({ initial: 1, steps: 10 }), { steps: 4 });
    expect([0, 1, 2, 3].map(s)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(s(4)).toBe(1);
    expect(s(9)).toBeCloseTo(0.5, 12);
    const h = linearWarmup(constant(2), { steps: 10, startFactor: 0.5 });
    expect(h(0)).toBe(1);
    expect(h(5)).toBe(1.5);
  });

  it('sequence composes parts, each with its own clock', () => {
    const s = sequence([
      [3, constant(1)],
      [2, stepDecay({ initial: 0.5, factor: 0.5, every: 1 })],
      [Infinity, constant(0.01)],
    ]);
    expect([0, 1, 2, 3, 4, 5, 99].map(s)).toEqual([1, 1, 1, 0.5, 0.25, 0.01, 0.01]);
  });

  it('bad options name the field', () => {
    expect(() => stepDecay({ initial: 1, factor: 0.1, every: 0 })).toThrow('every must be a positive integer, got 0');
    expect(() => cosineDecay({ initial: -1, steps: 10 })).toThrow('learningRate must be a finite number > 0, got -1');
    expect(() => exponentialDecay({ initial: 1, rate: 0 })).toThrow('rate must be a finite number > 0, got 0');
    expect(() => linearWarmup(constant(1), { steps: 5, startFactor: 2 })).toThrow(
      'startFactor must be in [0, 1], got 2',
    );
    expect(() => constant(NaN)).toThrow('constant: invalid config');
    expect(() => sequence([[0, constant(1)]])).toThrow('sequence: part 0 must run for steps > 0, got 0');
  });

  it('warm-up then decay: linear ramp from 0, then stairs (or smooth as optax) from the peak', () => {
    const smooth = warmupDecay({ initial: 1e-3, warmup: 100, rate: 0.9, every: 1000, staircase: false });
    expect(smooth(0)).toBe(0);
    expect(smooth(50)).toBeCloseTo(5e-4, 15);
    expect(smooth(100)).toBeCloseTo(1e-3, 15);
    expect(smooth(600)).toBeCloseTo(1e-3 * Math.sqrt(0.9), 15);
    expect(smooth(1100)).toBeCloseTo(9e-4, 15);
    const stairs = warmupDecay({ initial: 1e-3, rate: 0.5, every: 10 });
    // No warm-up + staircase is the old inline lr0 * rate^floor(step / every), bit for bit.
    for (const t of [0, 9, 10, 25, 99]) expect(stairs(t)).toBe(1e-3 * 0.5 ** Math.floor(t / 10));
    expect(warmupDecay({ initial: 0.1 })(12345)).toBe(0.1);
    expect(() => warmupDecay({ initial: 1e-3, warmup: -1 })).toThrow('warmup must be an integer >= 0, got -1');
  });
});

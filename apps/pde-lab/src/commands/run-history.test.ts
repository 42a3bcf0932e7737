import type { TrainOutcome } from '../adapter/contract';
import { plotGrid } from '@aml/pinn';
import { historyMetrics, keptSteps, MAX_POINTS, subsample, windowErrors } from './run-history';

describe('subsample', () => {
  it.each([
    [0, 1],
    [1, 1],
    [1000, 1],
    [1001, 2],
    [5000, 6],
    [123457, 124],
  ])('%i steps: stride %i, at most 1000 values, first and last kept, values[i] at step i * stride', (n, stride) => {
    const y = Array.from({ length: n }, (_, i) => Math.sin(i) + i);
    const s = subsample(y);
    expect(s.length).toBe(n);
    expect(s.stride).toBe(stride);
    expect(s.values.length).toBeLessThanOrEqual(MAX_POINTS);
    if (n > 0) expect(s.values[s.values.length - 1]).toBe(y[n - 1]);
    const steps = keptSteps(n, s.stride);
    expect(steps.length).toBe(s.values.length);
    steps.forEach((step, i) => {
      if (i < steps.length - 1) expect(step).toBe(i * stride);
      expect(s.values[i]).toBe(y[step]);
    });
  });
});

describe('historyMetrics', () => {
  const n = 5000;
  const adam = 3000;
  const ramp = <T>(len: number, f: (i: number) => T): T[] => Array.from({ length: len }, (_, i) => f(i));
  const outcome: TrainOutcome = {
    history: { loss: ramp(n, (i) => 1 / (i + 1)), terms: { pde: ramp(n, (i) => 2 / (i + 1)) }, stopReason: 'done' },
    phases: [],
    coefficients: {},
    seconds: 1,
    status: 'completed',
    resumedAt: 0,
    trace: {
      learningRate: ramp(n, (i) => (i < adam ? 1e-3 * 0.9 ** Math.floor(i / 100) : 1)),
      weights: { pde: ramp(adam, () => 1), 'initial(u)': ramp(adam, (i) => 1 + i / 10) },
      causal: { minWeight: ramp(adam, (i) => i / adam), epsilon: ramp(adam, (i) => (i < 1500 ? 1 : 10)) },
      sampling: ramp(2500, (i) => ({ step: i, method: 'uniform', points: 64 })),
      collocationPoints: [64],
      windows: [
        { t0: 0, t1: 0.5, steps: 2000 },
        { t0: 0.5, t1: 1, steps: 3000 },
      ],
    },
  };
  const h = historyMetrics(outcome);

  it('subsamples every series to at most 1000 values, exactly at the stated steps', () => {
    expect(h.loss.stride).toBe(6);
    expect(h.loss.values[10]).toBe(1 / 61);
    expect(h.weights!['initial(u)']).toEqual(subsample(outcome.trace!.weights['initial(u)']));
    expect(h.weights!['initial(u)'].stride).toBe(4);
    expect(h.weights!['initial(u)'].values[250]).toBe(1 + 1000 / 10);
    expect(h.causal!.epsilon.values.at(-1)).toBe(10);
    expect(h.learningRate!.values[0]).toBe(1e-3);
    expect(h.note).toMatch(/at most 1000 values/);
  });

  it('keeps the count of sampling events and every stride-th event; windows get their start step', () => {
    expect(h.sampling!.count).toBe(2500);
    expect(h.sampling!.stride).toBe(3);
    expect(h.sampling!.events.length).toBe(834);
    expect(h.sampling!.events[5].step).toBe(15);
    expect(h.windows).toEqual([
      { t0: 0, t1: 0.5, steps: 2000, start: 0 },
      { t0: 0.5, t1: 1, steps: 3000, start: 2000 },
    ]);
  });

  it('writes only the loss when the solver recorded nothing more', () => {
    const plain = historyMetrics({ ...outcome, trace: undefined });
    expect(Object.keys(plain).sort()).toEqual(['loss', 'note']);
  });
});

describe('windowErrors', () => {
  it('scores each window on the grid points of its time range, by hand', () => {
    // 3 x 3 grid over x, t in [0, 1]: t = 0, 0.5, 1; windows [0, 0.5) and [0.5, 1]
    const grid = plotGrid({ lo: [0, 0], hi: [1, 1] }, 3);
    const ref = new Float64Array(9).fill(1);
    const pred = Float64Array.from({ length: 9 }, (_, i) => (i < 3 ? 1.1 : 1.2)); // window 0: error 0.1; window 1: 0.2
    const w = windowErrors(
      { grid, pred, ref, errors: {} },
      [
        { t0: 0, t1: 0.5 },
        { t0: 0.5, t1: 1 },
      ],
      ['u'],
      1,
    );
    expect(w.map((e) => e.points)).toEqual([3, 6]);
    expect(w[0].errors.u.relL2).toBeCloseTo(0.1, 12);
    expect(w[1].errors.u.relL2).toBeCloseTo(0.2, 12);
    expect(w[1].errors.u.maxAbs).toBeCloseTo(0.2, 12);
    expect(windowErrors({ grid, pred, errors: {} }, [{ t0: 0, t1: 1 }], ['u'], 1)).toEqual([]);
  });
});

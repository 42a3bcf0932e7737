import { Rng } from '@aml/core';
import { createWeighting, gradNormWeights } from './weighting';

describe('loss weighting', () => {
  it('fixed: user weights, unknown terms named in the error', () => {
    const w = createWeighting({ scheme: 'fixed', weights: { bc: 10 } }, ['pde', 'bc'], new Rng(0));
    expect(w.weights).toEqual({ pde: 1, bc: 10 });
    w.update(0, { pde: 1, bc: 1 });
    expect(w.history.bc).toEqual([10]);
    expect(() => createWeighting({ scheme: 'fixed', weights: { bcc: 1 } }, ['pde', 'bc'], new Rng(0))).toThrow(
      'weighting: unknown term "bcc"; terms are "pde", "bc"',
    );
  });
  it('ReLoBRaLo: weights sum to the number of terms and favour the term that stalls', () => {
    // rho = 1 (never look back to the start) and alpha = 0 make the update the softmax balance itself.
    const w = createWeighting({ scheme: 'relobralo', alpha: 0, rho: 1, temperature: 1 }, ['pde', 'bc'], new Rng(0));
    w.update(0, { pde: 1, bc: 1 });
    w.update(1, { pde: 0.5, bc: 1 }); // pde halved, bc stalled
    expect(w.weights.pde + w.weights.bc).toBeCloseTo(2, 12);
    // softmax of (0.5, 1): bc gets 2 e^1 / (e^0.5 + e^1)
    expect(w.weights.bc).toBeCloseTo((2 * Math.E) / (Math.exp(0.5) + Math.E), 12);
    expect(w.history.bc.length).toBe(2);
  });
  it('learning-rate annealing: lambda moves toward max|grad pde| / mean|grad term| every `every` steps', () => {
    const w = createWeighting({ scheme: 'lra', alpha: 0.5, every: 2 }, ['pde', 'bc'], new Rng(0));
    expect(w.needsGradients(0)).toBe(true);
    expect(w.needsGradients(1)).toBe(false);
    w.update(0, { pde: 1, bc: 1 }, { pde: { max: 8, mean: 1, norm: 0 }, bc: { max: 1, mean: 0.5, norm: 0 } });
    expect(w.weights.bc).toBeCloseTo(0.5 * 1 + 0.5 * 16, 12);
    expect(w.weights.pde).toBe(1);
    expect(() => createWeighting({ scheme: 'lra', every: 0 }, ['pde'], new Rng(0))).toThrow(
      'lra every must be a positive integer, got 0',
    );
  });
  it('gradient-norm balance: G = [2, 8] gives [2.5, 0.625], one EMA from [1, 1] gives [1.15, 0.9625]', () => {
    expect(gradNormWeights([2, 8])).toEqual([2.5, 0.625]);
    const w = createWeighting({ scheme: 'gradnorm', every: 3 }, ['pde', 'ic'], new Rng(0));
    expect([0, 1, 3, 6].map((s) => w.needsGradients(s))).toEqual([true, false, true, true]);
    w.update(0, { pde: 1, ic: 1 }, { pde: { max: 0, mean: 0, norm: 2 }, ic: { max: 0, mean: 0, norm: 8 } });
    expect(w.weights.pde).toBeCloseTo(1.15, 14);
    expect(w.weights.ic).toBeCloseTo(0.9625, 14);
    w.update(1, { pde: 1, ic: 1 }); // no statistics: weights stay, history grows
    expect(w.history.ic).toEqual([w.weights.ic, w.weights.ic]);
    expect(() => createWeighting({ scheme: 'gradnorm', momentum: 1 }, ['pde'], new Rng(0))).toThrow(
      'gradnorm momentum must be in [0, 1), got 1',
    );
  });
  it.each(['fixed', 'relobralo', 'lra', 'gradnorm'] as const)(
    '%s: getState / setState round-trips weights, history and memory',
    (scheme) => {
      const a = createWeighting({ scheme }, ['pde', 'ic'], new Rng(4));
      const stats = { pde: { max: 3, mean: 1, norm: 2 }, ic: { max: 1, mean: 0.2, norm: 5 } };
      a.update(0, { pde: 1, ic: 2 }, stats);
      a.update(1, { pde: 0.5, ic: 1.5 }, stats);
      const b = createWeighting({ scheme }, ['pde', 'ic'], new Rng(4));
      b.setState(JSON.parse(JSON.stringify(a.getState())));
      for (const w of [a, b]) w.update(2, { pde: 0.4, ic: 1.4 }, stats);
      expect(b.weights).toEqual(a.weights);
      expect(b.history).toEqual(a.history);
    },
  );
});

import { Rng } from '@aml/core';
import { createWeighting } from './weighting';

describe('loss weighting', () => {
  it('fixed: user weights, unknown terms named in the error', () => {
    const w = createWeighting({ scheme: 'fixed', weights: { bc: 10 } }, ['pde', 'bc'], new Rng(0));
    expect(w.weights).toEqual({ pde: 1, bc: 10 });
    w.update(0, { pde: 1, bc: 1 });
    expect(w.history.bc).toEqual([10]);
    expect(() => createWeighting({ scheme: 'fixed', weights: { bcc: 1 } }, ['pde', 'bc'], new Rng(0))).toThrow('weighting: unknown term "bcc"; terms are "pde", "bc"');
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
    w.update(0, { pde: 1, bc: 1 }, { pde: { max: 8, mean: 1 }, bc: { max: 1, mean: 0.5 } });
    expect(w.weights.bc).toBeCloseTo(0.5 * 1 + 0.5 * 16, 12);
    expect(w.weights.pde).toBe(1);
    expect(() => createWeighting({ scheme: 'lra', every: 0 }, ['pde'], new Rng(0))).toThrow('lra every must be a positive integer, got 0');
  });
});

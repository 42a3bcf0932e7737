import { initBackend, tf } from '@aml/core';
import { causalLossValue, causalWeights, CausalWeighting, chunkSizes, sortByAxis } from './causal';
import { causallyWeighted } from './resample';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('causal weighting', () => {
  it('L = [1, 2, 3], eps = 1: w = [1, 0.367879, 0.049787], L_r = 0.628373 (hand computation)', () => {
    const w = causalWeights([1, 2, 3], 1);
    expect(w[0]).toBe(1);
    expect(w[1]).toBeCloseTo(Math.exp(-1), 15);
    expect(w[2]).toBeCloseTo(Math.exp(-3), 15);
    expect(Array.from(w, (v) => +v.toFixed(6))).toEqual([1, 0.367879, 0.049787]);
    expect(causalLossValue([1, 2, 3], 1)).toBeCloseTo(0.628373, 6);
  });

  it('the tensor loss takes that value, its gradient treats w as constant (dL_r/dL_1 = 1/3), nothing leaks', () => {
    const c = new CausalWeighting({ chunks: 3, epsilon: 1 });
    // Squares (6, 1) whose chunk means are 1, 2, 3.
    const sq = tf.variable(tf.tensor2d([0.5, 1.5, 2, 2, 3, 3], [6, 1]));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => c.loss([sq]).weighted[0], [sq]);
    expect(value.dataSync()[0]).toBeCloseTo(0.628373, 5);
    const g = grads[sq.name].dataSync();
    // dL_r/dsq_j = w_chunk / (M * chunk size): chunk 1 gets (1/3)(1/2) exactly, no -eps terms.
    expect(g[0]).toBeCloseTo(1 / 6, 7);
    expect(g[2]).toBeCloseTo(Math.exp(-1) / 6, 7);
    expect(g[5]).toBeCloseTo(Math.exp(-3) / 6, 7);
    tf.dispose([value, grads[sq.name]]);
    const t = tf.tidy(() => {
      const r = c.loss([sq]);
      return r.plain[0].dataSync()[0];
    });
    expect(t).toBeCloseTo(2, 6); // the plain mean for the history
    expect(tf.memory().numTensors).toBe(before);
    expect(c.minWeight).toBeCloseTo(Math.exp(-3), 7);
    sq.dispose();
  });

  it('uneven chunks: sizes differ by at most one; points sort by time', () => {
    expect(chunkSizes(10, 3)).toEqual([3, 3, 4]);
    expect(() => chunkSizes(2, 4)).toThrow('training.causal.chunks (4) must not exceed the residual points (2)');
    const p = tf.tensor2d([0, 0.5, 1, 0.1, 2, 0.3], [3, 2]);
    const s = sortByAxis(p, 1);
    expect(Array.from(s.dataSync())).toEqual(Array.from(Float32Array.from([1, 0.1, 2, 0.3, 0, 0.5])));
    tf.dispose([p, s]);
  });

  it('anneals through an epsilon list once min w > delta; state round-trips; bad settings are named', () => {
    const c = new CausalWeighting({ chunks: 2, epsilon: [0.01, 1], delta: 0.99 });
    expect(c.epsilon).toBe(0.01);
    c.weights = causalWeights([0.5, 0.5], 0.01); // min w = exp(-0.005) > 0.99
    expect(c.anneal()).toBe(true);
    expect(c.epsilon).toBe(1);
    expect(c.anneal()).toBe(false); // last value stays
    const d = new CausalWeighting({ chunks: 2, epsilon: [0.01, 1] });
    d.setState(JSON.parse(JSON.stringify(c.getState())));
    expect(d.epsilon).toBe(1);
    expect(d.minWeight).toBe(c.minWeight);
    expect(() => new CausalWeighting({ chunks: 0 })).toThrow(
      'training.causal.chunks must be a positive integer, got 0',
    );
    expect(() => new CausalWeighting({ epsilon: [1, -2] })).toThrow(
      'training.causal.epsilon[1] must be a finite number >= 0, got -2',
    );
    expect(() => new CausalWeighting({ delta: 2 })).toThrow('training.causal.delta must be in (0, 1], got 2');
  });
});

describe('causally weighted RAD scores', () => {
  it('|r| times the weight of the time chunk the candidate falls in (chunks from the sorted residual times)', () => {
    // 4 residual points at t = 0, 0.25, 0.5, 0.75 in 2 chunks: chunk 2 starts at t = 0.5
    const ctx = { axis: 1, weights: [1, 0.1], sortedTimes: [0, 0.25, 0.5, 0.75] };
    const cand = Float64Array.from([0.3, 0.1, 0.3, 0.49, 0.3, 0.5, 0.3, 0.9]); // (x, t) rows
    const got = causallyWeighted(Float32Array.from([2, 2, 2, 2]), cand, 2, ctx);
    expect(Array.from(got)).toEqual(Array.from(Float32Array.from([2, 2, 0.2, 0.2])));
  });
});

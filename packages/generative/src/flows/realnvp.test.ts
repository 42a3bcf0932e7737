import { adam, expectNoLeak, initBackend, Rng, tf } from '@aml/core';
import { flowForward, flowInverse, flowLogProb, flowStep, realNvp, sampleFlow } from './realnvp';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Randomise every parameter so the flow is far from the identity. */
function scramble(flow: ReturnType<typeof realNvp>, seed: number) {
  flow.params.forEach((p, i) =>
    p.assign(
      tf
        .randomNormal(p.shape, 0, 0.4, 'float32', seed + i)
        .add(p.shape.length === 1 && p.size === flow.config.dim ? 0.5 : 0),
    ),
  );
}

function det3(m: number[][]): number {
  return (
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
  );
}

describe('Real-NVP', () => {
  it('log-likelihood equals change of variables with a finite-difference Jacobian', () => {
    const flow = realNvp({ dim: 3, couplings: 4, hidden: [16] }, new Rng(1));
    scramble(flow, 10);
    const x0 = [0.3, -0.7, 1.1];
    const f = (x: number[]) => Array.from(flowForward(flow, tf.tensor2d([x])).z.dataSync());
    const h = 2e-3; // float32: smaller h loses digits to rounding, larger h to curvature
    const J = [0, 1, 2].map((i) => [0, 1, 2].map(() => 0));
    for (let j = 0; j < 3; j++) {
      const xp = [...x0],
        xm = [...x0];
      xp[j] += h;
      xm[j] -= h;
      const fp = f(xp),
        fm = f(xm);
      for (let i = 0; i < 3; i++) J[i][j] = (fp[i] - fm[i]) / (2 * h);
    }
    const z = f(x0);
    const logDetFd = Math.log(Math.abs(det3(J)));
    const logProbFd = -0.5 * z.reduce((s, v) => s + v * v, 0) - 1.5 * Math.log(2 * Math.PI) + logDetFd;
    const { logDet } = flowForward(flow, tf.tensor2d([x0]));
    expect(Math.abs(logDet.dataSync()[0])).toBeGreaterThan(0.1); // not the identity
    expect(logDet.dataSync()[0]).toBeCloseTo(logDetFd, 2);
    expect(flowLogProb(flow, tf.tensor2d([x0])).dataSync()[0]).toBeCloseTo(logProbFd, 2);
  });

  it('inverse undoes forward', () => {
    const flow = realNvp({ dim: 4, couplings: 5, hidden: [16] }, new Rng(2));
    scramble(flow, 20);
    const x = tf.randomNormal([10, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    const back = flowInverse(flow, flowForward(flow, x).z);
    expect(tf.max(tf.abs(back.sub(x))).dataSync()[0]).toBeLessThan(1e-4);
  });

  it('density integrates to 1 over a 2D grid', () => {
    const flow = realNvp({ dim: 2, couplings: 4, hidden: [16] }, new Rng(4));
    scramble(flow, 30);
    const n = 200,
      lo = -8,
      hi = 8,
      dx = (hi - lo) / n;
    const pts: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pts.push(lo + (i + 0.5) * dx, lo + (j + 0.5) * dx);
    const lp = Array.from(flowLogProb(flow, tf.tensor2d(pts, [n * n, 2])).dataSync());
    const mass = lp.reduce((s, v) => s + Math.exp(v), 0) * dx * dx;
    expect(mass).toBeGreaterThan(0.97);
    expect(mass).toBeLessThan(1.01);
  });

  it('maximum-likelihood training raises log p; a step leaks nothing; sampling is repeatable', async () => {
    const rng = new Rng(5);
    const flow = realNvp({ dim: 2, couplings: 4, hidden: [16] }, rng);
    // correlated, shifted Gaussian data
    const x = tf.tidy(() => {
      const e = tf.randomNormal([256, 2], 0, 1, 'float32', 6);
      const [a, b] = tf.split(e, 2, 1);
      return tf.concat([a.mul(2).add(1), a.mul(0.9).add(b.mul(0.3)).sub(1)], 1);
    }) as tf.Tensor2D;
    const opt = adam({ learningRate: 5e-3 });
    const first = flowStep(flow, x, opt).loss;
    await expectNoLeak(() => flowStep(flow, x, opt), 'Real-NVP step');
    let last = first;
    for (let t = 0; t < 100; t++) last = flowStep(flow, x, opt).loss;
    expect(last).toBeLessThan(first - 1);
    expect(sampleFlow(flow, 3, new Rng(1)).arraySync()).toEqual(sampleFlow(flow, 3, new Rng(1)).arraySync());
  });

  it('rejects bad settings', () => {
    expect(() => realNvp({ dim: 1 }, new Rng(0))).toThrow(/dim must be an integer >= 2/);
    expect(() => realNvp({ dim: 2, couplings: 0 }, new Rng(0))).toThrow(/couplings must be a positive integer, got 0/);
    const flow = realNvp({ dim: 2, couplings: 1, hidden: [4] }, new Rng(0));
    expect(() => flowLogProb(flow, tf.zeros([3, 3]) as tf.Tensor2D)).toThrow(/shape \(B, 2\), got \(3, 3\)/);
  });
});

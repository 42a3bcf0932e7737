import type { StepEndInfo } from '@aml/core';
import { progressCallback } from './progress';

function info(step: number, totalSteps: number, loss: number): StepEndInfo {
  return {
    step,
    totalSteps,
    loss,
    terms: { pde: loss / 2, ic: loss / 4 },
    learningRate: 1e-3,
    epoch: 0,
  } as unknown as StepEndInfo;
}

describe('progress lines', () => {
  it('prints the first and last step and at most one line per interval, with speed and ETA', () => {
    const lines: string[] = [];
    let now = 0;
    const cb = progressCallback({ write: (l) => lines.push(l), phase: 'adam', everySeconds: 5, now: () => now });
    for (let s = 0; s < 100; s++) {
      now = 1000 + s * 100; // 10 steps per second after the first
      cb.onStepEnd!(info(s, 100, 1 / (s + 1)));
    }
    // first (t=1.0 s), then every 5 s (steps 50 and ...), and the last
    expect(lines[0]).toBe('adam step 1/100 (1%) loss 1.00e+0 [pde 5.00e-1, ic 2.50e-1] lr 1.00e-3');
    expect(lines[1]).toBe(
      'adam step 51/100 (51%) loss 1.96e-2 [pde 9.80e-3, ic 4.90e-3] lr 1.00e-3 10.0 steps/s ETA 5s',
    );
    expect(lines[lines.length - 1]).toMatch(/^adam step 100\/100 \(100%\) loss 1\.00e-2 .* 10\.0 steps\/s ETA 0s$/);
    expect(lines).toHaveLength(3);
  });
});

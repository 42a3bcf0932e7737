import { createProgress, formatDuration, formatLoss } from './progress';

describe('progress', () => {
  it('formats durations and losses', () => {
    expect([0, 12.4, 59.6, 185, 3725].map(formatDuration)).toEqual(['0s', '12s', '1m00s', '3m05s', '1h02m']);
    expect(formatDuration(Infinity)).toBe('?');
    expect([1.234e-3, NaN, Infinity].map(formatLoss)).toEqual(['1.23e-3', 'NaN', 'Infinity']);
  });

  it('lines mode: a line every `every` steps and at the end, with an ETA from the measured rate', () => {
    const lines: string[] = [];
    let t = 0;
    const p = createProgress({
      mode: 'lines',
      total: 110,
      start: 10,
      every: 50,
      showEpoch: true,
      write: (l) => lines.push(l),
      now: () => t,
    });
    for (let done = 11; done <= 110; done++) {
      t += 200; // 0.2 s per step
      p.update(done, Math.floor(done / 20), 1 / done);
    }
    p.stop('completed');
    expect(lines).toEqual([
      'step 60/110 epoch 3 loss 1.67e-2 eta 10s', // 50 steps in 10 s, 50 to go
      'step 110/110 epoch 5 loss 9.09e-3 eta 0s',
      'stopped at step 110/110: completed (20s)',
    ]);
  });

  it("'none' prints nothing", () => {
    const lines: string[] = [];
    const p = createProgress({ mode: 'none', total: 5, start: 0, showEpoch: false, write: (l) => lines.push(l) });
    p.update(5, 0, 1);
    p.stop('completed');
    expect(lines).toEqual([]);
  });
});

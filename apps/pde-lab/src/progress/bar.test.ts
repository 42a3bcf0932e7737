/** The terminal bar: percentage, step count, loss and ETA on a TTY; log lines print above it; progress lines still reach the log file. */
import { Writable } from 'node:stream';
import type { StepEndInfo } from '@aml/core';
import { barProgress } from './bar';

/** A writable that says it is a TTY and keeps what was written. */
function fakeTty(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({
    write: (chunk, _enc, done) => ((text += String(chunk)), done()),
  }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: w, text: () => text };
}

const step = (s: number, total: number, loss: number): StepEndInfo =>
  ({
    step: s,
    epoch: 0,
    totalSteps: total,
    loss,
    terms: { pde: loss },
    learningRate: 1e-3,
    history: {} as never,
    run: {} as never,
    stop: () => undefined,
  }) as StepEndInfo;

describe('barProgress', () => {
  it('draws phase, percentage, steps and loss, and keeps the progress lines for the log file', () => {
    const tty = fakeTty();
    const file: string[] = [];
    const sink = barProgress(tty.stream, 0);
    const cb = sink.phase('adam', (l) => file.push(l));
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) {
      while (Date.now() < t0 + 2 * i); // 2 ms per step: 500 steps/s, so 50 steps left take about 0.1 s
      void cb.onStepEnd!(step(i, 100, 1 / (i + 1)));
    }
    sink.echo('a note');
    sink.stop();
    const out = tty.text();
    expect(out).toMatch(/adam \|█{15}░{15}\| 50% 50\/100 loss 2\.00e-2 ETA (0s|0\.\d+s|\d+ms)/);
    expect(out).toContain('a note\n');
    expect(file[0]).toMatch(/^adam step 1\/100 \(1%\) loss 1\.00e\+0 \[pde 1\.00e\+0\]/);
    expect(file).toHaveLength(50); // everySeconds 0: a line per step into log.txt, none on the terminal
    expect(out).not.toContain('adam step');
  });
});

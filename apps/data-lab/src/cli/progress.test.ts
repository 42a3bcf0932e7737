import { createProgress, formatSeconds } from './progress';

/** A stream that records what is written; `tty` makes it look like a terminal to cli-progress. */
function fakeStream(tty: boolean) {
  const chunks: string[] = [];
  const s = {
    isTTY: tty,
    columns: 100,
    rows: 30,
    write: (t: string) => {
      chunks.push(t);
      return true;
    },
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    on: () => s,
    removeListener: () => s,
    getWindowSize: () => [100, 30],
  };
  return { stream: s as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('progress', () => {
  it('on a terminal, a log line is printed whole above the bar, which is drawn again below it', () => {
    const { stream, text } = fakeStream(true);
    const p = createProgress({ total: 10, quiet: false, stream });
    p.tick(0.5);
    p.log('fold 1/2 mlp: r2 0.9 (1.2 s)');
    p.tick(0.25);
    p.stop();
    const out = text();
    const at = out.indexOf('fold 1/2 mlp: r2 0.9 (1.2 s)\n');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(out.slice(at)).toMatch(/train \|[^\n]*\| \d+\/10 \| loss/); // the bar comes back after the line
  });

  it('without a terminal, plain step lines and log lines, never a bar', () => {
    const { stream, text } = fakeStream(false);
    const p = createProgress({ total: 4, quiet: false, stream, start: 2 });
    p.tick(1);
    p.log('fold 2/2 linear: r2 0.5 (0.03 s)');
    p.tick(0.5);
    p.stop();
    const lines = text().split('\n');
    expect(lines[0]).toMatch(/^step 3\/4 loss 1\.00e\+0 eta \S+$/);
    expect(lines[1]).toBe('fold 2/2 linear: r2 0.5 (0.03 s)');
    expect(lines[2]).toMatch(/^step 4\/4 loss 5\.00e-1 eta \S+$/);
    expect(lines).toHaveLength(4); // and the final newline
    expect(text()).not.toContain('|');
  });

  it('quiet prints nothing; seconds keep their unit', () => {
    const { stream, text } = fakeStream(true);
    const p = createProgress({ total: 3, quiet: true, stream });
    p.tick(1);
    p.log('x');
    p.stop();
    expect(text()).toBe('');
    expect([formatSeconds(0.042), formatSeconds(12.34), formatSeconds(125)]).toEqual(['0.04 s', '12.3 s', '2m05s']);
  });
});

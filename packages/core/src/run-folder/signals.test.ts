/** Signals: the first asks the run to stop and save, a second quits at once with 128 + the signal number. No real signal is sent. */
import { EventEmitter } from 'node:events';
import { InterruptedError, SIGNAL_EXIT, watchSignals } from './signals';

/** A process stand-in: emits signals, records exit codes. */
function fakeProcess() {
  const p = new EventEmitter() as EventEmitter & { exits: number[]; exit: (c: number) => void };
  p.exits = [];
  p.exit = (c) => void p.exits.push(c);
  return p;
}
const listeners = (p: EventEmitter) => p.listenerCount('SIGINT') + p.listenerCount('SIGTERM');

describe('watchSignals', () => {
  it.each([
    ['SIGINT', 130, 'Ctrl-C'],
    ['SIGTERM', 143, 'send it'],
  ] as const)('%s once aborts with the signal as reason and says so; twice exits %i', (sig, code, again) => {
    const proc = fakeProcess();
    const said: string[] = [];
    const w = watchSignals({ name: 'prog', say: (l) => said.push(l), proc });
    expect(w.signal.aborted).toBe(false);
    expect(w.received).toBeUndefined();
    expect(() => w.throwIfStopped()).not.toThrow();
    proc.emit(sig);
    expect(w.signal.aborted).toBe(true);
    expect(w.signal.reason).toBe(sig);
    expect(w.received).toBe(sig);
    expect(proc.exits).toEqual([]);
    expect(said).toEqual([
      `prog: ${sig}: stopping after the current step and saving a checkpoint (${again} again to quit without saving)`,
    ]);
    proc.emit(sig);
    expect(proc.exits).toEqual([code]);
    expect(said[1]).toBe(
      `prog: second ${sig}: exiting now without saving; the last checkpoint stays in the results folder`,
    );
    w.dispose();
    expect(listeners(proc)).toBe(0);
  });

  it('a second signal of the other kind exits with its own status', () => {
    const proc = fakeProcess();
    const w = watchSignals({ name: 'prog', say: () => {}, proc });
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    expect(proc.exits).toEqual([SIGNAL_EXIT.SIGINT]);
    expect(w.received).toBe('SIGTERM');
    w.dispose();
  });

  it('throwIfStopped throws InterruptedError with the signal, its exit status and the message', () => {
    const proc = fakeProcess();
    const w = watchSignals({ name: 'prog', say: () => {}, proc });
    proc.emit('SIGTERM');
    let caught: unknown;
    try {
      w.throwIfStopped('saved in results/x; resume with --resume');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InterruptedError);
    const e = caught as InterruptedError;
    expect([e.signal, e.exitCode, e.message, e.name]).toEqual([
      'SIGTERM',
      143,
      'saved in results/x; resume with --resume',
      'InterruptedError',
    ]);
    expect(() => w.throwIfStopped()).toThrow(/^interrupted by SIGTERM$/);
    w.dispose();
  });

  it('listen: false catches nothing until listen(); pause() lets signals pass again; dispose() is final', () => {
    const proc = fakeProcess();
    const w = watchSignals({ name: 'prog', say: () => {}, proc, listen: false });
    expect(listeners(proc)).toBe(0);
    w.listen();
    w.listen(); // once only
    expect([proc.listenerCount('SIGINT'), proc.listenerCount('SIGTERM')]).toEqual([1, 1]);
    w.pause();
    expect(listeners(proc)).toBe(0);
    proc.emit('SIGINT'); // nobody listens: the watch does not see it
    expect(w.signal.aborted).toBe(false);
    w.listen();
    proc.emit('SIGINT');
    expect(w.signal.reason).toBe('SIGINT');
    w.dispose();
    w.listen();
    expect(listeners(proc)).toBe(0);
  });

  it('the default note goes to stderr as one line', () => {
    const proc = fakeProcess();
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const w = watchSignals({ name: 'prog', proc });
      proc.emit('SIGINT');
      w.dispose();
      expect(write.mock.calls.map((c) => c[0])).toEqual([
        'prog: SIGINT: stopping after the current step and saving a checkpoint (Ctrl-C again to quit without saving)\n',
      ]);
    } finally {
      write.mockRestore();
    }
  });

  it('a missing name is refused with what to pass', () => {
    expect(() => watchSignals({ name: ' ' })).toThrow(
      "watchSignals: name must name the program for its notes, e.g. { name: 'pde-lab' }",
    );
  });
});

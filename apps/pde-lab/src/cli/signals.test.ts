/** Signals: the first asks the run to stop and save, a second quits at once with 128 + the signal number; handlers go away after. */
import { EventEmitter } from 'node:events';
import { watchSignals } from './signals';
import { friendlyError } from './errors';

/** A process stand-in: emits signals, records exit codes. */
function fakeProcess() {
  const p = new EventEmitter() as EventEmitter & { exits: number[]; exit: (c: number) => void };
  p.exits = [];
  p.exit = (c) => void p.exits.push(c);
  return p;
}

describe('watchSignals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s once aborts with the signal as reason; twice exits %i', (sig, code) => {
    const proc = fakeProcess();
    const said: string[] = [];
    const w = watchSignals((l) => said.push(l), proc as unknown as NodeJS.Process);
    expect(w.signal.aborted).toBe(false);
    proc.emit(sig);
    expect(w.signal.aborted).toBe(true);
    expect(w.signal.reason).toBe(sig);
    expect(proc.exits).toEqual([]);
    expect(said[0]).toBe(
      `pde-lab: ${sig}: stopping after the current step and saving a checkpoint (${sig === 'SIGINT' ? 'Ctrl-C' : 'send it'} again to quit without saving)`,
    );
    proc.emit(sig);
    expect(proc.exits).toEqual([code]);
    w.dispose();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('friendlyError', () => {
  const sys = (code: string, p: string) => Object.assign(new Error(`${code}: raw, open '${p}'`), { code, path: p });
  it.each([
    ['EISDIR', '/a/b', '/a/b is a folder where a file was expected; give the path of a file'],
    ['EEXIST', '/a/out', '/a/out already exists as a file; pick another path (e.g. --out <dir>)'],
    ['ENOENT', '/x.json', '/x.json does not exist; check the path'],
    [
      'ENOSPC',
      '/r/metrics.json',
      '/r/metrics.json cannot be written: the disk is full; free some space and resume the run with --resume',
    ],
  ])('%s names the path and the fix, not the code', (code, p, message) => {
    const e = friendlyError(sys(code, p));
    expect(e.message).toBe(message);
    expect(e.message).not.toContain(code);
  });
  it('keeps other errors as they are', () => {
    const e = new Error('plain');
    expect(friendlyError(e)).toBe(e);
    expect(friendlyError('text').message).toBe('text');
  });
});

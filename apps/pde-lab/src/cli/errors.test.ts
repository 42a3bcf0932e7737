/** friendlyError: system errors name the path and the fix, not the code. */
import { friendlyError } from './errors';

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

/**
 * Node's file-system errors (ENOENT, EISDIR, EEXIST, ...) in words: the path, what is wrong with it,
 * and what to do. Every error the CLI prints passes through `friendlyError`.
 */

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist; check the path',
  EISDIR: 'is a folder where a file was expected; give the path of a file',
  ENOTDIR: 'has a file where a folder was expected; pick another path (e.g. --out <dir>)',
  EEXIST: 'already exists as a file; pick another path (e.g. --out <dir>)',
  EACCES: 'cannot be accessed (permission denied); pick a folder you can write to, or fix its permissions',
  EPERM: 'cannot be changed (operation not permitted); pick a folder you can write to',
  ENOSPC: 'cannot be written: the disk is full; free some space and resume the run with --resume',
  EROFS: 'is on a read-only file system; pick another folder with --out <dir>',
  EMFILE: 'cannot be opened: too many open files; close other programs and try again',
};

/** An Error whose message is readable by a user: Node's system errors are rewritten, others kept. */
export function friendlyError(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(String(e));
  const sys = e as NodeJS.ErrnoException;
  if (typeof sys.code === 'string' && REASONS[sys.code]) {
    const where = sys.path ?? (sys as { dest?: string }).dest ?? 'a file';
    const out = new Error(`${where} ${REASONS[sys.code]}`);
    out.stack = e.stack;
    return out;
  }
  return e;
}

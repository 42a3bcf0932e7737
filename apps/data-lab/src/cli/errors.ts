import { fsError } from '../run/folder';

/**
 * The one-line message of an error for the terminal: Node's file-system errors (EACCES, EISDIR, ...) become
 * sentences that name the path and the fix, a leading program name is removed so `data-lab:` (which main
 * prints) is never doubled, and a library function's name in front of a message (`fitImputer: ...`) is dropped:
 * it means nothing to the person running the command.
 */
export function errorMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  const err =
    typeof code === 'string' && /^E[A-Z]+$/.test(code) ? fsError(e, (e as NodeJS.ErrnoException).path ?? 'a file') : e;
  return err.message.replace(/^data-lab:\s*/, '').replace(/^[a-z]+[A-Z]\w*:\s+/, '');
}

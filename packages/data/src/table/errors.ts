/**
 * Errors about a user's file: where (file, line, column) and what was expected, so the message alone is
 * enough to fix the file. Lines and columns are 1-based, as editors show them.
 */
export interface DataErrorLocation {
  /** The file (or a label such as '<buffer>'). */
  readonly file: string;
  /** 1-based line of the problem, when the format has lines. */
  readonly line?: number;
  /** 1-based column (field index in a CSV row, character in a JSON line). */
  readonly column?: number;
}

/** A problem in a data file; `message` is `file:line:column: problem; expected ...`. */
export class DataError extends Error {
  constructor(
    readonly location: DataErrorLocation,
    readonly problem: string,
    readonly expected?: string,
  ) {
    super(formatLocation(location) + ': ' + problem + (expected ? `; expected ${expected}` : ''));
    this.name = 'DataError';
  }
}

/** `file:line:column` with the parts that are known. */
export function formatLocation(l: DataErrorLocation): string {
  return (
    l.file +
    (l.line !== undefined ? `:${l.line}` : '') +
    (l.line !== undefined && l.column !== undefined ? `:${l.column}` : '')
  );
}

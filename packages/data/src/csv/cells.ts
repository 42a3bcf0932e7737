import { DataError } from '../table/errors';
import type { Column, ColumnType } from '../table/table';

/** Cell texts read as missing by default (compared after trimming, case-sensitive). */
export const DEFAULT_MISSING: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?'];

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL_NUMBERS: Record<string, number> = {
  inf: Infinity,
  Inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  '-Inf': -Infinity,
  Infinity: Infinity,
  '-Infinity': -Infinity,
};
const DATE_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const COMMA_NUMBER_RE = /^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$/;

/**
 * The number a cell holds, or undefined if it is not a number. With `decimalComma`, '1,5' is 1.5 (the
 * European convention of semicolon-separated files); a comma is never read as a thousands separator.
 */
export function parseNumber(s: string, decimalComma = false): number | undefined {
  // Fast path for plain decimals (most cells of a large file): Number() is exact, the checks keep out what it
  // accepts beyond NUMBER_RE (hex/binary/octal prefixes, 'Infinity', '', inner spaces give NaN anyway).
  const n = s.length;
  if (n > 0) {
    const a = s.charCodeAt(0);
    const z = s.charCodeAt(n - 1);
    const b = n > 1 ? s.charCodeAt(1) | 32 : 0;
    if (
      ((a >= 48 && a <= 57) || a === 45 || a === 43 || a === 46) &&
      ((z >= 48 && z <= 57) || z === 46) &&
      b !== 120 &&
      b !== 98 &&
      b !== 111
    ) {
      const v = +s;
      if (!Number.isNaN(v)) return v;
    }
  }
  if (NUMBER_RE.test(s)) return Number(s);
  if (decimalComma && COMMA_NUMBER_RE.test(s)) return Number(s.replace(',', '.'));
  return SPECIAL_NUMBERS[s];
}

/**
 * Epoch milliseconds of an ISO date/time cell ('2024-03-01', '2024-03-01 12:00', '2024-03-01T12:00:00Z'),
 * or undefined. A time without a zone is read as UTC, so results do not depend on the machine's time zone.
 */
export function parseDate(s: string): number | undefined {
  if (!DATE_RE.test(s)) return undefined;
  let iso = s.replace(' ', 'T');
  if (iso.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** Share of numeric cells above which the other cells of a column are taken as typos, not as text. */
export const NUMERIC_MAJORITY = 0.9;

/** Where a cell came from, for messages. */
export interface CellSource {
  readonly file: string;
  /** 1-based file line of each row. */
  readonly lines: readonly number[];
  /** 1-based column index. */
  readonly column: number;
  /** Read '1,5' as 1.5 (files whose delimiter is not a comma). */
  readonly decimalComma?: boolean;
  /** 'error': a number cell that reads as +-Infinity (`inf`, `1e400`) is an error at its place; 'keep' (default) keeps it. */
  readonly nonFinite?: 'keep' | 'error';
  /** How fixes are named in messages: reader options (default 'api') or command-line flags ('cli'). */
  readonly hints?: 'api' | 'cli';
  /** Set when the type was inferred from the first rows only (streaming): how many. */
  readonly inferredFrom?: number;
}

/** How to force column `name` to text, in the words of the caller (reader option or command-line flag). */
export function forceTextHint(name: string, hints: 'api' | 'cli' = 'api'): string {
  return hints === 'cli' ? `--types ${name}=string` : `types: { '${name}': 'string' }`;
}

/** How to keep infinite values, in the words of the caller. */
export function keepNonFiniteHint(hints: 'api' | 'cli' = 'api'): string {
  return hints === 'cli' ? '--allow-nonfinite' : "nonFinite: 'keep'";
}

/**
 * Infer a column's type from its cells: all numbers -> 'number'; all ISO dates -> 'date'; otherwise 'string',
 * except that a column that is mostly (>= 90 %) numbers with a few text cells is an error at the first text cell
 * (a typo such as '1,5' or 'abc' in a measurement column), unless the caller forces the type.
 */
export function inferType(
  name: string,
  cells: readonly string[],
  missing: ReadonlySet<string>,
  src: CellSource,
): ColumnType {
  let n = 0;
  let num = 0;
  let date = 0;
  let firstText = -1;
  for (let i = 0; i < cells.length; i++) {
    const s = cells[i];
    if (missing.has(s)) continue;
    n++;
    if (parseNumber(s, src.decimalComma) !== undefined) num++;
    else {
      if (firstText < 0) firstText = i;
      if (parseDate(s) !== undefined) date++;
    }
  }
  if (n === 0) return 'number'; // all missing: reported by the caller, which knows the policy
  if (num === n) return 'number';
  if (date === n) return 'date';
  if (num / n >= NUMERIC_MAJORITY) {
    throw new DataError(
      { file: src.file, line: src.lines[firstText], column: src.column },
      `column '${name}' is numeric (${num} of ${n} values) but this cell is '${cells[firstText]}'`,
      `a number or a missing-value marker (${[...missing].map((m) => `'${m}'`).join(', ')}); fix the cell, or force the column to text with ${forceTextHint(name, src.hints)}`,
    );
  }
  return 'string';
}

/** Convert a column's cells to a typed column; a cell that does not fit the type is an error at its place. */
export function toColumn(
  name: string,
  type: ColumnType,
  cells: readonly string[],
  missing: ReadonlySet<string>,
  src: CellSource,
): Column {
  if (type === 'string') return { name, type, values: cells.map((s) => (missing.has(s) ? null : s)) };
  const values = new Float64Array(cells.length);
  const parse = type === 'number' ? (x: string) => parseNumber(x, src.decimalComma) : parseDate;
  for (let i = 0; i < cells.length; i++) {
    const s = cells[i];
    if (missing.has(s)) {
      values[i] = NaN;
      continue;
    }
    const v = parse(s);
    if (v === undefined) {
      const inferred = src.inferredFrom ? ` (inferred from the first ${src.inferredFrom} rows)` : '';
      throw new DataError(
        { file: src.file, line: src.lines[i], column: src.column },
        `column '${name}' is of type ${type}${inferred} but this cell is '${s}'`,
        type === 'number'
          ? `a number or a missing-value marker; fix the cell, or read the column as text with ${forceTextHint(name, src.hints)}`
          : 'an ISO date such as 2024-03-01 or 2024-03-01T12:00:00Z',
      );
    }
    if (src.nonFinite === 'error' && !Number.isFinite(v)) {
      throw new DataError(
        { file: src.file, line: src.lines[i], column: src.column },
        `column '${name}' has the non-finite value '${s}' (reads as ${v})`,
        `a finite number; fix the cell, leave it empty to mark it missing, or keep infinities with ${keepNonFiniteHint(src.hints)}`,
      );
    }
    values[i] = v;
  }
  return { name, type, values };
}

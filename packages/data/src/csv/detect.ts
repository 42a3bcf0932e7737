import { parse } from 'csv-parse/sync';
import { parseDate, parseNumber } from './cells';

/** Delimiters tried by detection, in order of preference on ties. */
export const DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

/**
 * Guess the delimiter from the first lines: the candidate that splits every sampled row into the same
 * number (> 1) of fields, preferring more fields; ',' when nothing splits (a one-column file).
 */
export function detectDelimiter(sample: string): string {
  let best = ',';
  let bestFields = 1;
  for (const d of DELIMITERS) {
    let rows: string[][];
    try {
      rows = parse(sample, {
        delimiter: d,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        to_line: 50,
      }) as string[][];
    } catch {
      continue; // a quote broken by the sample cut, or by the wrong delimiter
    }
    // The last sampled row may be cut in half: judge on the complete ones.
    const full = rows.length > 2 ? rows.slice(0, -1) : rows;
    if (full.length === 0) continue;
    const k = full[0].length;
    if (k > bestFields && full.every((r) => r.length === k)) {
      best = d;
      bestFields = k;
    }
  }
  return best;
}

/**
 * Is the first row a header? Yes when none of its cells is empty, a number or a date, and either some later
 * row has a number or date in a column (so the first row differs in kind from the data), or all its names differ.
 */
export function looksLikeHeader(first: readonly string[], rest: readonly (readonly string[])[]): boolean {
  const typed = (s: string) => parseNumber(s) !== undefined || parseDate(s) !== undefined;
  if (first.some((s) => s === '' || typed(s))) return false;
  if (rest.some((r) => r.some((s) => typed(s)))) return true;
  return new Set(first).size === first.length;
}

import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import type { Column, Table } from '../table/table';

/** Options of `writeCsv` / `formatCsv`. */
export interface CsvWriteOptions {
  /** Field delimiter (default ','). */
  readonly delimiter?: string;
  /** Text written for a missing value (default ''). */
  readonly missing?: string;
}

function quote(s: string, delimiter: string): string {
  return /["\r\n]/.test(s) || s.includes(delimiter) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

function cell(c: Column, i: number, o: Required<CsvWriteOptions>): string {
  if (c.type === 'string') {
    const v = c.values[i];
    return v === null ? o.missing : quote(v, o.delimiter);
  }
  const v = c.values[i];
  if (Number.isNaN(v)) return o.missing;
  // String(x) is the shortest text that parses back to the same double: the round trip is value-exact.
  if (c.type === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : '-inf';
  return new Date(v).toISOString();
}

/** CSV text of a table: header line, then one line per row, '\n' line ends. */
export function formatCsv(t: Table, options: CsvWriteOptions = {}): string {
  const o = { delimiter: options.delimiter ?? ',', missing: options.missing ?? '' };
  const out: string[] = [t.columns.map((c) => quote(c.name, o.delimiter)).join(o.delimiter)];
  for (let i = 0; i < t.nRows; i++) out.push(t.columns.map((c) => cell(c, i, o)).join(o.delimiter));
  return out.join('\n') + '\n';
}

/** Write a table as CSV (numbers with full precision, so reading it back gives the same values). */
export function writeCsv(file: string, t: Table, options: CsvWriteOptions = {}): void {
  fs.writeFileSync(file, formatCsv(t, options));
}

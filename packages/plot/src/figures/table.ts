import type { Figure } from './spec';

/** A table: column names and rows of cells. */
export interface TableData {
  /** Column headers. */
  readonly columns: readonly string[];
  /** Rows, each with one cell per column. */
  readonly rows: readonly (readonly (string | number | boolean | null)[])[];
}

/** Check that every row has one cell per column. */
export function checkTable(t: TableData, what: string): void {
  t.rows.forEach((r, i) => {
    if (r.length !== t.columns.length) {
      throw new Error(
        `${what}: row ${i} has ${r.length} cells but there are ${t.columns.length} columns (${t.columns.join(', ')})`,
      );
    }
  });
}

/** Format a cell: numbers with 4 significant digits (full precision stays in metrics.json). */
export function formatCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (!Number.isFinite(v)) return String(v);
    return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
  }
  return String(v);
}

/**
 * A table as a plotly figure (for a table that sits among figures; the report's `table()` writes
 * a plain HTML table, which is usually better for metrics).
 */
export function tableFigure(t: TableData, o: { title?: string; height?: number } = {}): Figure {
  checkTable(t, 'tableFigure');
  const cells = t.columns.map((_, c) => t.rows.map((r) => formatCell(r[c])));
  return {
    data: [{ type: 'table', header: { values: [...t.columns], fill: { color: '#dde' } }, cells: { values: cells } }],
    layout: {
      ...(o.title ? { title: { text: o.title } } : {}),
      height: o.height ?? 60 + 28 * (t.rows.length + 1),
      margin: { l: 10, r: 10, t: o.title ? 40 : 10, b: 10 },
    },
  };
}

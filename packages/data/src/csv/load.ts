import type { Column, ColumnType, Table } from '../table/table';
import type { CsvReadOptions } from './options';
import { streamCsv } from './stream';

/** A column that grows batch by batch: numbers in a Float64Array that doubles, text in a plain array. */
class ColumnBuilder {
  private data: Float64Array;
  private readonly text: (string | null)[] = [];
  private n = 0;

  constructor(
    readonly name: string,
    readonly type: ColumnType,
  ) {
    this.data = new Float64Array(type === 'string' ? 0 : 1024);
  }

  /** Append one batch's values of this column. */
  append(c: Column): void {
    if (c.type === 'string') {
      // A loop, not push(...values): a batch may be larger than the call stack allows to spread.
      for (const v of c.values) this.text.push(v);
      return;
    }
    if (this.n + c.values.length > this.data.length) {
      const grown = new Float64Array(Math.max(this.data.length * 2, this.n + c.values.length));
      grown.set(this.data.subarray(0, this.n));
      this.data = grown;
    }
    this.data.set(c.values, this.n);
    this.n += c.values.length;
  }

  /** The finished column (numbers trimmed to their length). */
  finish(): Column {
    if (this.type === 'string') return { name: this.name, type: 'string', values: this.text };
    // Trim the doubling slack with one copy, one column at a time, so the peak stays near the table's size.
    const values = this.data.length > this.n ? this.data.slice(0, this.n) : this.data;
    this.data = new Float64Array(0);
    return { name: this.name, type: this.type, values } as Column;
  }
}

/**
 * Read a CSV file of any size into a typed table by streaming it: the text is never held whole, numeric and
 * date columns are filled into Float64Arrays batch by batch, so memory is about the table itself (8 bytes per
 * number) plus one batch of text. Column types are inferred from the first batch (`batchSize` rows, default
 * 10,000) and then enforced: a later cell of the wrong kind is an error at its file:line:column that says so.
 * Same options and checks as `readCsv`.
 *
 * @example
 *   const t = await loadCsv('lab-2024.csv', { target: 'yield', nonFinite: 'error' });
 */
export async function loadCsv(file: string, options: CsvReadOptions = {}): Promise<Table> {
  let builders: ColumnBuilder[] | null = null;
  let nRows = 0;
  for await (const batch of streamCsv(file, options)) {
    builders ??= batch.columns.map((c) => new ColumnBuilder(c.name, c.type));
    batch.columns.forEach((c, j) => builders![j].append(c));
    nRows += batch.nRows;
  }
  return { columns: builders!.map((b) => b.finish()), nRows, source: file };
}

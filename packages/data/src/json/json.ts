import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { z } from 'zod';
import { readText } from '../csv/read';
import { DataError } from '../table/errors';
import type { Column, Table } from '../table/table';
import { findJsonError } from './locate';

/** 1-based line and column of character `pos` in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/** Parse JSON text; a syntax error becomes a DataError at its line and column. */
export function parseJsonText(text: string, file = '<json>'): unknown {
  if (text.trim() === '') throw new DataError({ file }, 'the file is empty', 'a JSON value');
  try {
    return JSON.parse(text);
  } catch (e) {
    // JSON.parse's message has no position in some Node versions: locate the error ourselves.
    const found = findJsonError(text);
    const at = found ? lineColumn(text, found.pos) : undefined;
    const near = found ? ` near '${text.slice(found.pos, found.pos + 12).split('\n')[0]}'` : '';
    throw new DataError(
      { file, line: at?.line, column: at?.column },
      `invalid JSON${near} (${(e as Error).message.split('\n')[0]})`,
      found?.expected ?? 'valid JSON',
    );
  }
}

/**
 * Read a JSON file and validate it with a zod schema; a mismatch names the path inside the document.
 *
 * @example
 *   const cfg = readJson('config.json', z.strictObject({ lr: z.number() }));
 */
export function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const value = parseJsonText(readText(file, 'a JSON file'), file);
  const r = schema.safeParse(value);
  if (!r.success) throw new DataError({ file }, `does not match the expected structure:\n${z.prettifyError(r.error)}`);
  return r.data;
}

/** Write a value as indented JSON (typed arrays become lists; NaN/Inf, which JSON lacks, become null). */
export function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(
    file,
    JSON.stringify(
      value,
      (_k, v) =>
        ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
      2,
    ) + '\n',
  );
}

const RecordsSchema = z.array(z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])));

/**
 * Read a JSON array of flat records (`[{ "x": 1, "label": "a" }, ...]`) into a table. A column is numeric
 * when all its non-null values are numbers, text otherwise; a key missing from a record is a missing value.
 */
export function readJsonTable(file: string): Table {
  const recs = readJson(file, RecordsSchema);
  if (recs.length === 0) throw new DataError({ file }, 'the array has no records', 'at least one record');
  const names: string[] = [];
  for (const r of recs) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  const columns = names.map((name): Column => {
    const vals = recs.map((r) => r[name] ?? null);
    if (vals.every((v) => v === null || typeof v === 'number')) {
      return { name, type: 'number', values: Float64Array.from(vals, (v) => (v === null ? NaN : (v as number))) };
    }
    return { name, type: 'string', values: vals.map((v) => (v === null ? null : String(v))) };
  });
  return { columns, nRows: recs.length, source: file };
}

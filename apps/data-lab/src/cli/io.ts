import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BackendChoice, type BackendInfo, initBackend } from '@aml/core';
import { type CsvReadOptions, DataError, loadCsv, readJsonTable, type Table } from '@aml/data';
import { parseTypes } from './options';

/** What the commands pass to the reader from their flags. */
export interface ReadFlags {
  /** A column that must exist and have values. */
  readonly target?: string;
  /** `--types a=string,...`. */
  readonly types?: string;
  /** `--allow-nonfinite`: keep inf / 1e400 cells instead of stopping at the first. */
  readonly allowNonfinite?: boolean;
  /** Accept columns without any value (explore). */
  readonly allowEmptyColumns?: boolean;
}

/**
 * Read a user's table: .json as an array of records, anything else as CSV (delimiter detected), streamed
 * into typed columns so files of millions of rows fit in memory. Infinite cells are an error at their
 * file:line:column unless `allowNonfinite`; messages name the command-line flags that fix them.
 */
export async function readTable(file: string, f: ReadFlags = {}): Promise<Table> {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to a CSV or JSON file');
  if (fs.statSync(file).isDirectory()) throw new DataError({ file }, 'is a folder', 'a path to a CSV or JSON file');
  if (path.extname(file).toLowerCase() === '.json') return readJsonTable(file);
  const o: CsvReadOptions = {
    hints: 'cli',
    nonFinite: f.allowNonfinite ? 'keep' : 'error',
    types: parseTypes(f.types),
    ...(f.target !== undefined ? { target: f.target } : {}),
    ...(f.allowEmptyColumns ? { allowEmptyColumns: true } : {}),
  };
  return loadCsv(file, o);
}

/** Default results name: the file's base name without extension. */
export function defaultName(file: string): string {
  return (
    path
      .basename(file)
      .replace(/\.[^.]*$/, '')
      .replace(/[^\w.-]/g, '_') || 'data'
  );
}

/** Start the tfjs backend once per command (environment: AML_BACKEND, read here in the app only). */
export async function startBackend(choice: BackendChoice | undefined, quiet: boolean): Promise<BackendInfo> {
  return initBackend({ backend: choice, env: process.env, quiet });
}

/** Comma-separated list option to names. */
export function listOption(v: string | undefined): string[] {
  return v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

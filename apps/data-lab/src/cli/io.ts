import * as path from 'node:path';
import { BackendChoice, BackendInfo, initBackend } from '@aml/core';
import { CsvReadOptions, readCsv, readJsonTable, Table } from '@aml/data';

/** Read a user's table: .json as an array of records, anything else as CSV (delimiter detected). */
export function readTable(file: string, o: CsvReadOptions = {}): Table {
  return path.extname(file).toLowerCase() === '.json' ? readJsonTable(file) : readCsv(file, o);
}

/** Default results name: the file's base name without extension. */
export function defaultName(file: string): string {
  return path.basename(file).replace(/\.[^.]*$/, '').replace(/[^\w.-]/g, '_') || 'data';
}

/** Start the tfjs backend once per command (environment: AML_BACKEND, read here in the app only). */
export async function startBackend(choice: BackendChoice | undefined, quiet: boolean): Promise<BackendInfo> {
  return initBackend({ backend: choice, env: process.env, quiet });
}

/** Comma-separated list option to names. */
export function listOption(v: string | undefined): string[] {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

import { z } from 'zod';
import { positiveInt } from '@aml/core';

/** Options of `readCsv`, `parseCsv` and `streamCsv` (validated with zod; unknown keys are errors). */
export const CsvReadOptionsSchema = z.strictObject({
  /** Field delimiter, or 'auto' (default) to detect among , ; tab |. */
  delimiter: z.union([z.literal('auto'), z.string().length(1)]).optional(),
  /** Is the first row a header? 'auto' (default) decides from the cells; false names columns c1, c2, ... */
  header: z.union([z.boolean(), z.literal('auto')]).optional(),
  /** Decimal mark: '.', ',' or 'auto' (default: ',' is also accepted when the delimiter is not a comma). */
  decimal: z.enum(['.', ',', 'auto']).optional(),
  /** Cell texts that mean "missing" (default: DEFAULT_MISSING). */
  missing: z.array(z.string()).optional(),
  /** Force column types by name (e.g. keep zip codes as text). */
  types: z.record(z.string(), z.enum(['number', 'string', 'date'])).optional(),
  /** Accept columns with no value at all (default false: such a column is an error). */
  allowEmptyColumns: z.boolean().optional(),
  /** A column that must exist and have values (e.g. the target of a model). */
  target: z.string().optional(),
  /** Read at most this many data rows. */
  maxRows: positiveInt('maxRows').optional(),
  /** Number cells that read as +-Infinity (`inf`, `1e400`): 'keep' them (default) or report an 'error' at file:line:column. */
  nonFinite: z.enum(['keep', 'error']).optional(),
  /** How messages name fixes: reader options ('api', default) or the command-line flags of data-lab ('cli': --types, --allow-nonfinite). */
  hints: z.enum(['api', 'cli']).optional(),
  /** Rows per batch for `streamCsv` (default 10,000); types are inferred from the first batch. */
  batchSize: positiveInt('batchSize').optional(),
});

/** Options of the CSV readers. */
export type CsvReadOptions = z.infer<typeof CsvReadOptionsSchema>;

/** Validate reader options, with a readable message naming the bad field. */
export function parseCsvOptions(o: unknown): CsvReadOptions {
  const r = CsvReadOptionsSchema.safeParse(o ?? {});
  if (!r.success) throw new Error(`invalid CSV read options:\n${z.prettifyError(r.error)}`);
  return r.data;
}

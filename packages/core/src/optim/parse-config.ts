/**
 * Config validation at the boundary: a bad option fails with a message that names
 * the component, the field and what was expected (zod 4's prettified issues).
 */
import { z } from 'zod';

/**
 * Parse `value` with `schema`, throwing `Error("<where>: invalid config\n✖ ... → at <field>")`.
 *
 * @example
 *   const cfg = parseConfig(adamConfigSchema, { learningRate: -1 }, 'adam');
 *   // throws: adam: invalid config
 *   //         ✖ learningRate must be a finite number >= 0, got -1 → at learningRate
 */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${where}: invalid config\n${z.prettifyError(r.error)}`);
  return r.data;
}

/** A learning rate: finite and >= 0 (0 freezes the weights, which is legal for warm-up schedules). */
export const learningRateSchema = z
  .number({ error: (iss) => `learningRate must be a finite number >= 0, got ${String(iss.input)}` })
  .refine((x) => Number.isFinite(x) && x >= 0, {
    error: (iss) => `learningRate must be a finite number >= 0, got ${String(iss.input)}`,
  });

/** A decay/momentum coefficient in [0, 1). */
export const unitIntervalSchema = (field: string) =>
  z.number().refine((x) => Number.isFinite(x) && x >= 0 && x < 1, {
    error: (iss) => `${field} must be in [0, 1), got ${String(iss.input)}`,
  });

/** A small positive constant (epsilon). */
export const positiveSchema = (field: string) =>
  z.number().refine((x) => Number.isFinite(x) && x > 0, {
    error: (iss) => `${field} must be a finite number > 0, got ${String(iss.input)}`,
  });

/** A finite non-negative number (weight decay, ...). */
export const nonNegativeSchema = (field: string) =>
  z.number().refine((x) => Number.isFinite(x) && x >= 0, {
    error: (iss) => `${field} must be a finite number >= 0, got ${String(iss.input)}`,
  });

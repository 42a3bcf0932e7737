/**
 * Config validation at the boundary: a bad option fails with a message that names
 * the component, the field and what was expected (zod 4's prettified issues).
 */
import { z } from 'zod';
import { learningRate } from '../validation/atoms';

/**
 * Parse `value` with `schema`, throwing `Error("<where>: invalid config\n✖ ... → at <field>")`.
 *
 * @example
 *   const cfg = parseConfig(adamConfigSchema, { learningRate: -1 }, 'adam');
 *   // throws: adam: invalid config
 *   //         ✖ learningRate must be a finite number > 0, got -1 → at learningRate
 */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${where}: invalid config\n${z.prettifyError(r.error)}`);
  return r.data;
}

/** A learning rate: finite and > 0 (the shared `learningRate` atom, named `learningRate` in messages). */
export const learningRateSchema = learningRate('learningRate');

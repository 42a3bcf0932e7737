/**
 * Option validators shared by every package and CLI: one rule and one message per concept.
 *
 * Each atom is a function returning a zod schema. Called with a field name it puts the name in
 * the message (`every must be a positive integer, got 10.9`); called without one it leaves the
 * name to the caller: zod's `prettifyError` adds `→ at training.adam.steps`, and `check` below
 * puts the field in front. Messages always end with the value received, as tfjs's do.
 *
 * @example
 *   const schema = z.strictObject({ every: positiveInt('every'), lr: learningRate('lr').default(1e-3) });
 *   check(positiveInt(), 0, 'slidingWindows: window'); // throws "slidingWindows: window must be a positive integer, got 0"
 */
import { z } from 'zod';

/** A validator factory: the schema for one rule, with the field named in its message when given. */
export type Atom = (field?: string) => z.ZodNumber;

/**
 * A received value as a message shows it: numbers as written (`NaN`, `-1`, `Infinity`),
 * strings quoted, everything else as JSON where possible.
 * @example describeValue('3') === '"3"'; describeValue(2.5) === '2.5'
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || v === undefined || typeof v === 'function') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Builds an atom: a number (finite, by zod 4's default) satisfying `ok`, else `[field ]must be <rule>, got <value>`. */
function atom(rule: string, ok: (x: number) => boolean): Atom {
  return (field?: string) => {
    const message = (input: unknown) => `${field ? `${field} ` : ''}must be ${rule}, got ${describeValue(input)}`;
    return z.number({ error: (iss) => message(iss.input) }).refine(ok, { error: (iss) => message(iss.input) });
  };
}

/** An integer >= 1 (sizes, counts, widths, `every`). */
export const positiveInt: Atom = atom('a positive integer', (x) => Number.isInteger(x) && x >= 1);

/** An integer >= 0 (step counts where 0 means "skip this phase", warm-up lengths). */
export const nonNegativeInt: Atom = atom('an integer >= 0', (x) => Number.isInteger(x) && x >= 0);

/**
 * An integer >= `min` (for example 2 for a number of folds or a coupling's dimension).
 * @example intAtLeast(2, 'folds').parse(1) // throws "folds must be an integer >= 2, got 1"
 */
export function intAtLeast(min: number, field?: string): z.ZodNumber {
  return atom(`an integer >= ${min}`, (x) => Number.isInteger(x) && x >= min)(field);
}

/** Any finite number (no NaN, no Infinity). */
export const finiteNumber: Atom = atom('a finite number', () => true);

/** A finite number > 0 (step sizes, tolerances, bandwidths, noise scales). */
export const positiveNumber: Atom = atom('a finite number > 0', (x) => x > 0);

/** A finite number >= 0 (weight decay, noise levels, a schedule's final rate). */
export const nonNegativeNumber: Atom = atom('a finite number >= 0', (x) => x >= 0);

/** A probability: a number in [0, 1]. */
export const probability: Atom = atom('in [0, 1]', (x) => x >= 0 && x <= 1);

/** A number in [0, 1): decay and momentum coefficients (beta1, rho), dropout rates. */
export const halfOpenUnit: Atom = atom('in [0, 1)', (x) => x >= 0 && x < 1);

/** A learning rate: finite and > 0, the one rule every optimizer, config and CLI applies. */
export const learningRate: Atom = atom('a finite number > 0', (x) => x > 0);

/** A seed for `Rng`: a finite integer (the same seed gives the same stream on every machine). */
export const seed: Atom = atom('an integer', (x) => Number.isInteger(x));

/**
 * Validates a plain TypeScript option with an atom (or any zod schema), returning the parsed value.
 * Throws `${field} must be ..., got ...`; an issue inside an object or array adds its path
 * (`field.every`, `field[2]`).
 *
 * @example
 *   const n = check(positiveInt(), options.window, 'timeWindows: window');
 *   // throws "timeWindows: window must be a positive integer, got 0"
 */
export function check<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  throw new Error(`${field}${path} ${issue.message}`);
}

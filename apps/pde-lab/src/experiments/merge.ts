/**
 * Deep merge of JSON config data: objects merge key by key, anything else (numbers, strings,
 * arrays) in the override replaces the base value. Used for an experiment's `quick` block and
 * for command-line overrides; neither input is modified.
 */

/** True for a plain JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `base` with `override` merged in (a new object; inputs untouched). */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? deepMerge(out[k], v) : structuredClone(v);
  return out;
}

/** Set `value` at a dotted path (`training.adam.steps`), creating objects on the way; returns a new object. */
export function setPath(base: unknown, dotted: string, value: unknown): unknown {
  const keys = dotted.split('.');
  let override: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) override = { [keys[i]]: override };
  return deepMerge(base, override);
}

/** The value at a dotted path, or undefined. */
export function getPath(base: unknown, dotted: string): unknown {
  let v: unknown = base;
  for (const k of dotted.split('.')) {
    if (!isPlainObject(v)) return undefined;
    v = v[k];
  }
  return v;
}

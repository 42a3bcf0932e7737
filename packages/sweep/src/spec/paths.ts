/**
 * Dotted paths into plain JSON configs (`network.layers`, `training.adam.lr`).
 * A sweep parameter is a path into the base config; these helpers read, write and check them.
 */

/** A JSON value as read from a config file. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A plain JSON object (not an array, not null). */
export type JsonObject = { [key: string]: Json };

/** True for a plain object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Split `a.b.c` into its keys; rejects empty keys (`a..b`, `.a`) with a message naming the path. */
export function splitPath(path: string): string[] {
  const keys = path.split('.');
  if (path.length === 0 || keys.some((k) => k.length === 0)) {
    throw new Error(`parameter path "${path}" is malformed: use dot-separated keys such as network.layers`);
  }
  return keys;
}

/** The value at `path`, or `undefined` when some key on the way is missing. */
export function getPath(obj: unknown, path: string): Json | undefined {
  let cur = obj as Json | undefined;
  for (const key of splitPath(path)) {
    if (!isObject(cur) || !(key in cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** True when every key of `path` exists in `obj` (the leaf may hold null). */
export function hasPath(obj: unknown, path: string): boolean {
  return getPath(obj, path) !== undefined;
}

/**
 * A copy of `obj` with `value` at `path`; the input is untouched. Missing intermediate objects
 * are an error by default (a sweep never invents structure the base config lacks); with
 * `{ create: true }` they are made on the way (a command-line override such as --steps).
 * A missing leaf is always added.
 */
export function setPath<T>(obj: T, path: string, value: unknown, options: { readonly create?: boolean } = {}): T {
  const keys = splitPath(path);
  const root = structuredClone(obj) as Json;
  let cur: Json = root;
  for (const key of keys.slice(0, -1)) {
    if (isObject(cur) && !(key in cur) && options.create) cur[key] = {};
    if (!isObject(cur) || !isObject(cur[key])) {
      throw new Error(`cannot set "${path}": "${key}" is not an object in the base config`);
    }
    cur = cur[key];
  }
  if (!isObject(cur)) throw new Error(`cannot set "${path}": its parent is not an object in the base config`);
  cur[keys[keys.length - 1]] = value as Json;
  return root as T;
}

/**
 * `base` with `override` merged in: objects merge key by key, anything else in the override
 * (numbers, strings, arrays) replaces the base value. A new object; neither input is modified.
 * Used for an experiment's `quick` block and for command-line overrides.
 */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isObject(base) || !isObject(override)) return structuredClone(override) as T;
  const out: JsonObject = structuredClone(base);
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? deepMerge(out[k], v) : structuredClone(v);
  return out as T;
}

/** Every leaf path of `obj` (arrays count as leaves), sorted; used to suggest a fix for a typo. */
export function leafPaths(obj: Json, prefix = ''): string[] {
  if (!isObject(obj)) return prefix ? [prefix] : [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (isObject(v) && Object.keys(v).length > 0) out.push(...leafPaths(v, p));
    else out.push(p);
  }
  return out.sort();
}

/** JSON with object keys sorted at every level, so equal values give equal text (for hashing and comparing). */
export function canonicalJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

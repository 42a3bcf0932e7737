/**
 * Checks a sweep's parameters against its base config before anything is written or submitted:
 * every path must exist in the base config, every list must be non-empty, and every value must
 * have the type of the base value it replaces. Errors name the parameter and the fix.
 */
import { getPath, isObject, leafPaths, type Json, type JsonObject } from './paths';
import type { ParameterValues } from './values';

/** The JSON kind of a value, as named in error messages. */
export type JsonKind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** The kind of `v` (`null`, `array` and `object` told apart). */
export function kindOf(v: Json): JsonKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v as JsonKind;
}

/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** The closest existing path to `path` (a typo fix), or undefined when nothing is close. */
export function suggestPath(base: JsonObject, path: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const p of leafPaths(base)) {
    const dist = editDistance(p, path);
    if (dist < bestD) [best, bestD] = [p, dist];
  }
  return bestD <= Math.max(2, Math.floor(path.length / 3)) ? best : undefined;
}

/** Why `value` cannot replace `baseValue`, or null when it can. */
export function typeMismatch(baseValue: Json, value: Json): string | null {
  const want = kindOf(baseValue);
  const got = kindOf(value);
  if (want === 'null') return null; // the base leaves it open
  if (want !== got)
    return `is ${got === 'array' || got === 'object' ? 'an' : 'a'} ${got}, but the base config holds ${want === 'array' || want === 'object' ? 'an' : 'a'} ${want} (${JSON.stringify(baseValue)})`;
  if (want === 'array') {
    const baseKinds = new Set((baseValue as Json[]).map(kindOf));
    if (baseKinds.size === 1) {
      const elemKind = [...baseKinds][0];
      const bad = (value as Json[]).find((e) => kindOf(e) !== elemKind);
      if (bad !== undefined)
        return `holds ${JSON.stringify(bad)} (${kindOf(bad)}), but the base config's array holds ${elemKind}s`;
    }
  }
  return null;
}

/**
 * Validate `parameters` (and the seed path) against `base`.
 * @param baseName how the base config is named in messages (its file name).
 * @throws Error listing every problem, one line each, each naming its parameter.
 */
export function validateParameters(
  base: JsonObject,
  parameters: readonly ParameterValues[],
  seedPath: string,
  baseName = 'the base config',
): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { path, values } of parameters) {
    if (seen.has(path)) problems.push(`parameter ${path}: given twice; merge the values into one list`);
    seen.add(path);
    if (path === seedPath) {
      problems.push(`parameter ${path}: is the seed path; vary seeds with --seeds instead`);
      continue;
    }
    const baseValue = getPath(base, path);
    if (baseValue === undefined) {
      const hint = suggestPath(base, path);
      problems.push(`parameter ${path}: no such key in ${baseName}${hint ? `; did you mean ${hint}?` : ''}`);
      continue;
    }
    if (values.length === 0) {
      problems.push(`parameter ${path}: empty value list; give at least one value`);
      continue;
    }
    const texts = new Set<string>();
    values.forEach((v, i) => {
      const why = typeMismatch(baseValue, v);
      if (why) problems.push(`parameter ${path}: value ${i + 1} ${JSON.stringify(v)} ${why}`);
      const t = JSON.stringify(v);
      if (texts.has(t)) problems.push(`parameter ${path}: value ${t} is listed twice`);
      texts.add(t);
    });
  }
  for (const a of seen) {
    for (const b of seen) {
      if (a !== b && b.startsWith(`${a}.`))
        problems.push(`parameter ${b}: lies inside parameter ${a}; vary one or the other`);
    }
  }
  const seedValue = getPath(base, seedPath);
  if (seedValue !== undefined && seedValue !== null && typeof seedValue !== 'number') {
    problems.push(`seed path ${seedPath}: the base config holds ${JSON.stringify(seedValue)} there, not a number`);
  }
  if (seedValue === undefined) {
    const parent = seedPath.includes('.') ? getPath(base, seedPath.slice(0, seedPath.lastIndexOf('.'))) : base;
    if (!isObject(parent ?? null))
      problems.push(
        `seed path ${seedPath}: its parent is not an object in ${baseName}; set --seed-path to where the experiment reads its seed`,
      );
  }
  if (problems.length > 0) throw new Error(`invalid sweep:\n  ${problems.join('\n  ')}`);
}

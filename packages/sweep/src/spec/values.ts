/**
 * The command-line form of a sweep parameter: `--set network.layers=[20,20,20];[50,50,50]`
 * or `--set training.points=2000,10000`.
 *
 * Values are separated by `,` or `;` outside brackets, braces and quotes; each value is read
 * as JSON when it parses (`2000`, `1e-3`, `[20,20]`, `true`, `"x"`) and as a plain string otherwise (`tanh`).
 */
import type { Json } from './paths';

/** One parameter to vary: a dotted path into the base config and the values it takes. */
export interface ParameterValues {
  /** Dotted path into the base config, e.g. `network.layers`. */
  readonly path: string;
  /** The values, in the order given; at least one. */
  readonly values: readonly Json[];
}

/** Split `text` at top-level `,` or `;` (not inside [], {}, or "..."). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if ((c === ',' || c === ';') && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** Read one value: JSON when it parses, otherwise the bare text as a string (`tanh`, `lhs`). */
export function parseValue(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/**
 * Parse one `--set path=v1,v2` argument.
 * @throws naming the parameter when `=` is missing, the list is empty, or a value is blank.
 * @example parseSetArgument('training.points=2000,10000') // { path: 'training.points', values: [2000, 10000] }
 */
export function parseSetArgument(arg: string): ParameterValues {
  const eq = arg.indexOf('=');
  if (eq <= 0) {
    throw new Error(`--set "${arg}": expected path=value1,value2 (for example --set training.points=2000,10000)`);
  }
  const path = arg.slice(0, eq).trim();
  const rest = arg.slice(eq + 1).trim();
  if (rest.length === 0) {
    throw new Error(`parameter ${path}: empty value list; give at least one value (--set ${path}=v1,v2)`);
  }
  const texts = splitTopLevel(rest);
  const blank = texts.findIndex((t) => t.length === 0);
  if (blank >= 0) {
    throw new Error(`parameter ${path}: value ${blank + 1} of "${rest}" is empty; remove the stray separator`);
  }
  return { path, values: texts.map(parseValue) };
}

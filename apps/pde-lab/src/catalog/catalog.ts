/**
 * Finding and loading experiments: a name (`heat`) means `heat.json` in the shipped experiments
 * (EXPERIMENTS_DIR); anything ending in `.json` or containing a path separator is a file path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { experimentSchema, type Experiment } from './schema';

/**
 * The shipped experiment configs: `<package>/configs`, next to `src/` in the repository and next to
 * `dist/` in an installed package (this file is `src/catalog/catalog.ts` or `dist/catalog/catalog.js`).
 */
export const EXPERIMENTS_DIR = path.resolve(__dirname, '../../configs');

/** A config problem: names the file and the field, and says how to fix it. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A loaded experiment and where it came from. */
export interface LoadedExperiment {
  /** Run name: the file name without `.json` (results go to results/<name>). */
  readonly name: string;
  /** Absolute path of the file. */
  readonly file: string;
  readonly experiment: Experiment;
}

/** Names of the shipped experiments, sorted. */
export function experimentNames(dir = EXPERIMENTS_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** The closest of `options` to `word` if it is close enough to be a likely typo. */
export function didYouMean(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const dd = distance(word.toLowerCase(), o.toLowerCase());
    if (dd < bestD) [best, bestD] = [o, dd];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The file an experiment argument refers to (a name in `dir`, or a path). */
export function resolveExperiment(arg: string, dir = EXPERIMENTS_DIR): string {
  const looksLikePath = arg.endsWith('.json') || arg.includes('/') || arg.includes(path.sep);
  if (looksLikePath) {
    if (!fs.existsSync(arg))
      throw new ConfigError(
        `config file ${arg} not found; give an existing .json file or an experiment name (pde-lab list)`,
      );
    if (fs.statSync(arg).isDirectory())
      throw new ConfigError(
        `${arg} is a folder; give the path of a config .json file or an experiment name (pde-lab list)`,
      );
    return path.resolve(arg);
  }
  const file = path.join(dir, `${arg}.json`);
  if (fs.existsSync(file)) return file;
  const names = experimentNames(dir);
  const guess = didYouMean(arg, names);
  throw new ConfigError(
    `unknown experiment '${arg}'${guess ? `; did you mean '${guess}'?` : ''} ` +
      `Shipped experiments: ${names.join(', ') || '(none)'}. Or give the path of a config .json file.`,
  );
}

/** Read a JSON file, with a message giving the file and the line of a syntax error. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${file}: cannot be read (${code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? (e as Error).message)}); give a readable .json file`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new ConfigError(
      `${file}${line ? `:${line}` : ''}: not valid JSON (${msg}); check for a missing comma, a trailing comma or unquoted keys`,
    );
  }
}

/** Turn zod issues into lines naming the field path (prefixed by `prefix`) and the problem. */
export function zodMessage(file: string, error: z.ZodError, prefix = '', schema: z.ZodType = experimentSchema): string {
  const lines = error.issues.map((i) => {
    const where = [prefix, ...i.path.map(String)].filter((s) => s !== '').join('.');
    let msg = i.message;
    if (i.code === 'invalid_union')
      msg = unionMessage(i as unknown as { errors: { code: string; expected?: string; message: string }[][] }) ?? msg;
    if (i.code === 'unrecognized_keys') {
      // A typo in a key: name it and suggest the known key it resembles.
      const known = knownKeys(schema, i.path);
      msg = i.keys
        .map((k) => {
          const guess = didYouMean(k, known);
          return `unknown key '${k}'${guess ? ` (did you mean '${guess}'?)` : ''}${known.length ? `; allowed keys: ${known.join(', ')}` : ''}`;
        })
        .join('; ');
    }
    return `  ${where || '(top level)'}: ${msg}`;
  });
  // One problem, one line (what a user reads first, and what a script can grep); several, one line each.
  if (lines.length === 1) return `${file}: invalid config: ${lines[0].trim()}`;
  return `${file}: invalid config (${lines.length} problems)\n${lines.join('\n')}`;
}

/** A union's failure in words: the types it accepts, or each alternative's message. */
function unionMessage(i: { errors: { code: string; expected?: string; message: string }[][] }): string | undefined {
  const firsts = i.errors.map((e) => e[0]).filter((e) => e !== undefined);
  if (firsts.length === 0) return undefined;
  if (firsts.every((e) => e.code === 'invalid_type' && e.expected))
    return `expected ${[...new Set(firsts.map((e) => e.expected))].join(' or ')}`;
  return [...new Set(firsts.map((e) => e.message))].join('; or ');
}

/** Allowed keys at a path of the experiment schema (for "did you mean"). */
function knownKeys(schema: z.ZodType, p: readonly PropertyKey[]): string[] {
  let s: z.ZodType = schema;
  for (const k of p) {
    const def = (s as unknown as { def?: { type?: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> } })
      .def;
    let inner: z.ZodType | undefined = s;
    let d = def;
    while (d && (d.type === 'default' || d.type === 'optional') && d.innerType) {
      inner = d.innerType;
      d = (inner as unknown as { def?: typeof def }).def;
    }
    const shape = d?.shape;
    if (!shape || typeof k !== 'string' || !(k in shape)) return [];
    s = shape[k];
  }
  let d = (s as unknown as { def?: { type?: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> } }).def;
  while (d && (d.type === 'default' || d.type === 'optional') && d.innerType)
    d = (d.innerType as unknown as { def?: typeof d }).def;
  return d?.shape ? Object.keys(d.shape) : [];
}

/**
 * Load an experiment file (or a bare problem config, which is wrapped with a default report).
 * Only the app's part is validated here; the problem itself is validated by @aml/pinn.
 */
export function loadExperiment(arg: string, dir = EXPERIMENTS_DIR): LoadedExperiment {
  const file = resolveExperiment(arg, dir);
  const json = readJsonFile(file);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const got = json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
    throw new ConfigError(
      `${file}: a config must be a JSON object ({ "description": ..., "problem": {...} }), got ${got}`,
    );
  }
  // A bare problem config: its own description (if any) is shown by `list` and in the report.
  const own = (json as { description?: unknown }).description;
  const wrapped =
    'problem' in json
      ? json
      : { description: typeof own === 'string' && own ? own : `problem config ${path.basename(file)}`, problem: json };
  const r = experimentSchema.safeParse(wrapped);
  if (!r.success) throw new ConfigError(zodMessage(file, r.error));
  return { name: path.basename(file, '.json'), file, experiment: r.data };
}

/** Each shipped experiment with its description (for `pde-lab list`); broken files are listed with their error. */
export function listExperiments(dir = EXPERIMENTS_DIR): { name: string; description: string }[] {
  return experimentNames(dir).map((name) => {
    try {
      return { name, description: loadExperiment(name, dir).experiment.description };
    } catch (e) {
      return { name, description: `(invalid: ${(e as Error).message.split('\n')[0]})` };
    }
  });
}

/**
 * A sweep description: a base experiment config, the parameters to vary, the seeds, and the
 * per-run command. Built from a zod-validated sweep file or from command-line flags; validated
 * against the base config before anything runs.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { positiveInt, seed } from '@aml/core/validation';
import { isObject, type Json, type JsonObject } from './paths';
import { validateParameters } from './validate';
import type { ParameterValues } from './values';
import { slurmOptionsSchema, type SlurmOptions } from '../slurm/options';

/** A validated sweep, ready to expand. */
export interface SweepSpec {
  /** Sweep name: its folder is `<resultsDir>/<name>/`. Letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** The base experiment config every run starts from. */
  readonly base: JsonObject;
  /** Where the base config came from (for messages and the record), if from a file. */
  readonly baseFile?: string;
  /** Parameters to vary, in order (the first varies slowest). */
  readonly parameters: readonly ParameterValues[];
  /** Seeds; every parameter combination runs once per seed. */
  readonly seeds: readonly number[];
  /** Dotted path where each run's seed is written into its config (e.g. `seed`). */
  readonly seedPath: string;
  /**
   * Per-run shell command template. Placeholders: `{config}` (the run's config.json), `{out}` (the run
   * folder), `{id}`, `{seed}`. Runs from the directory the sweep was started in.
   */
  readonly command: string;
  /** How a preempted run continues from its checkpoint (absent: a preempted run starts over). */
  readonly resume?: ResumeConvention;
}

/**
 * How the app continues a run from its checkpoint: when an earlier attempt did not fail (it was
 * stopped by a signal, or vanished) and `<run folder>/<checkpoint>` exists, the wrapper runs the
 * command without the words in `drop` and with `args` appended.
 * @example { args: '--resume', drop: ['--force'], checkpoint: 'checkpoint' }
 */
export interface ResumeConvention {
  /** Arguments appended to the run's command, e.g. `--resume`. */
  readonly args: string;
  /** Words removed from the command on resume, e.g. `['--force', '--quick']` when the app refuses them with `--resume`. */
  readonly drop?: readonly string[];
  /** Path, relative to the run folder, that exists once the run has checkpointed, e.g. `checkpoint`. */
  readonly checkpoint: string;
}

/** Sweep names become folder names; keep them portable. */
export const sweepNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" (it becomes a folder name)');

/** Schema of a sweep file (JSON). Unknown keys are errors, so typos are caught. */
export const sweepFileSchema = z.strictObject({
  /** Sweep name (folder under the results directory). */
  name: sweepNameSchema,
  /** Base config: a path (relative to the sweep file) or the config itself. */
  base: z.union([z.string().min(1), z.record(z.string(), z.json())]),
  /** Parameters to vary: dotted path -> list of values (at least one each). */
  parameters: z.record(z.string(), z.array(z.json())),
  /** Number of seeds (0..n-1) or the explicit list of seeds. */
  seeds: z.union([positiveInt(), z.array(seed()).min(1)]).optional(),
  /** Where the seed goes in each config; default chosen by the app (usually `seed`). */
  seedPath: z.string().min(1).optional(),
  /** Per-run command template; default chosen by the app. */
  command: z.string().min(1).optional(),
  /** Slurm settings used with `--executor slurm` (command-line flags override them). */
  slurm: slurmOptionsSchema.optional(),
  /** Local pool size used with `--executor local` (default: one per core). */
  jobs: positiveInt().optional(),
});

/** A parsed sweep file. */
export type SweepFile = z.infer<typeof sweepFileSchema>;

/** Seeds from a count (`3` -> 0, 1, 2) or an explicit list. */
export function seedList(seeds: number | readonly number[] | undefined): number[] {
  if (seeds === undefined) return [0];
  if (typeof seeds === 'number') return Array.from({ length: seeds }, (_, i) => i);
  if (new Set(seeds).size !== seeds.length) throw new Error(`seeds: ${JSON.stringify(seeds)} lists a seed twice`);
  return [...seeds];
}

/** Read a JSON file whose top level must be an object; errors name the file. */
export function readJsonObject(file: string, what: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${what} ${file}: cannot read it (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} ${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(value)) throw new Error(`${what} ${file}: expected a JSON object at the top level`);
  return value;
}

/** Inputs to `makeSweepSpec`, from flags or a file. */
export interface SweepInput {
  /** Sweep name. */
  readonly name: string;
  /** Base config object, already loaded. */
  readonly base: JsonObject;
  /** Where the base came from (messages only). */
  readonly baseFile?: string;
  /** Parameters to vary. */
  readonly parameters: readonly ParameterValues[];
  /** Seed count or list. */
  readonly seeds?: number | readonly number[];
  /** Seed path in the config. */
  readonly seedPath: string;
  /** Per-run command template. */
  readonly command: string;
  /** How a preempted run continues from its checkpoint. */
  readonly resume?: ResumeConvention;
}

/**
 * Validate and freeze a sweep. Throws (before anything is written or submitted) on an invalid
 * name, an unknown parameter path, an empty value list, a value of the wrong type, or a command
 * template without `{config}`.
 */
export function makeSweepSpec(input: SweepInput): SweepSpec {
  const name = sweepNameSchema.safeParse(input.name);
  if (!name.success) throw new Error(`sweep name "${input.name}": ${name.error.issues[0].message}`);
  if (!input.command.includes('{config}')) {
    throw new Error(`command template "${input.command}": must contain {config} so each run reads its own config`);
  }
  validateParameters(input.base, input.parameters, input.seedPath, input.baseFile ?? 'the base config');
  return {
    name: input.name,
    base: input.base,
    baseFile: input.baseFile,
    parameters: input.parameters,
    seeds: seedList(input.seeds),
    seedPath: input.seedPath,
    command: input.command,
    ...(input.resume ? { resume: input.resume } : {}),
  };
}

/** Defaults an app supplies for what a sweep file may leave out. */
export interface SweepDefaults {
  /** Default seed path (e.g. `seed`). */
  readonly seedPath: string;
  /** Default per-run command template. */
  readonly command: string;
  /** The app's resume convention (see `ResumeConvention`). */
  readonly resume?: ResumeConvention;
}

/**
 * Read and validate a sweep file. Its `base`, if a path, is relative to the sweep file.
 * @returns the spec plus the file's executor settings.
 */
export function loadSweepFile(
  file: string,
  defaults: SweepDefaults,
): { spec: SweepSpec; slurm?: SlurmOptions; jobs?: number } {
  const raw = readJsonObject(file, 'sweep file');
  const parsed = sweepFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`sweep file ${file}:\n${z.prettifyError(parsed.error)}`);
  const f = parsed.data;
  const baseFile = typeof f.base === 'string' ? resolve(dirname(file), f.base) : undefined;
  const base = baseFile ? readJsonObject(baseFile, 'base config') : (f.base as JsonObject);
  const parameters = Object.entries(f.parameters).map(([path, values]) => ({ path, values: values as Json[] }));
  const spec = makeSweepSpec({
    name: f.name,
    base,
    baseFile,
    parameters,
    seeds: f.seeds,
    seedPath: f.seedPath ?? defaults.seedPath,
    command: f.command ?? defaults.command,
    resume: defaults.resume,
  });
  return { spec, slurm: f.slurm, jobs: f.jobs };
}

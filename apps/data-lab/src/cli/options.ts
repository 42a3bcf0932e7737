import { intAtLeast, learningRate, positiveInt, seed } from '@aml/core';
import { z } from 'zod';

// Flags arrive as text: convert what reads as a number, then check it with core's shared rule;
// one message names the flag and the value whatever went wrong ('--epochs must be a positive integer, got 0').
const fromText = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
const flag = (schema: z.ZodNumber) => z.preprocess(fromText, schema);
const positiveIntFlag = (name: string) => flag(positiveInt(name));
const seedFlag = flag(seed('--seed')).default(0);

/** `--types a=string,b=number`: column types forced from the command line. */
const typesOption = z
  .string()
  .regex(/^\s*[^=,]+=(number|string|date)\s*(,\s*[^=,]+=(number|string|date)\s*)*$/, {
    error:
      '--types must be column=type pairs separated by commas, type one of number, string, date (e.g. --types zip=string,batch=string)',
  })
  .optional();

/** Column types of a `--types` value (undefined when absent). */
export function parseTypes(v: string | undefined): Record<string, 'number' | 'string' | 'date'> | undefined {
  if (!v) return undefined;
  return Object.fromEntries(
    v.split(',').map((p) => p.split('=').map((x) => x.trim()) as [string, 'number' | 'string' | 'date']),
  );
}

/** Options of `data-lab analyze` (parsed from the command line, validated here; unknown keys are errors). */
export const AnalyzeOptionsSchema = z.strictObject({
  /** Target column. */
  target: z.string().min(1),
  /** Task; inferred from the target when absent ('forecast' needs --time). */
  task: z.enum(['classification', 'regression', 'forecast']).optional(),
  /** Time column (forecast task; rows are sorted by it). */
  time: z.string().optional(),
  /** Cross-validation folds (at least 2: one to train on, one to score). */
  folds: flag(intAtLeast(2, '--folds')).default(5),
  /** Seed of every random choice (folds, initialisation, batches). */
  seed: seedFlag,
  /** Results folder name under --out (default: the file's base name). */
  name: z.string().optional(),
  /** Parent folder of results (default 'results'); the run writes results/<name>/. */
  results: z.string().default('results'),
  /** Exact results folder (overrides --results/--name; used by sweeps, whose run folder already holds config.json). */
  out: z.string().optional(),
  /** Analysis config file (JSON, see AnalysisConfigSchema); command-line flags override it. */
  config: z.string().optional(),
  /** Overwrite an existing results folder. */
  force: z.boolean().default(false),
  /** Training epochs of the trainable models. */
  epochs: positiveIntFlag('--epochs').default(100),
  /** Mini-batch size. */
  batchSize: positiveIntFlag('--batch-size').default(64),
  /** Adam learning rate. */
  lr: flag(learningRate('--lr')).default(0.01),
  /** Hidden widths of the MLP, comma-separated. */
  hidden: z
    .string()
    .regex(/^\s*[1-9]\d*\s*(,\s*[1-9]\d*\s*)*$/, {
      error: '--hidden must be comma-separated positive widths such as 32,32',
    })
    .default('32,32'),
  /** Fill for missing numbers. */
  impute: z.enum(['mean', 'median', 'drop']).default('median'),
  /** Feature scaling. */
  scale: z.enum(['standard', 'minmax', 'none']).default('standard'),
  /** Columns to leave out (comma-separated). */
  drop: z.string().optional(),
  /** Forecast: past steps per input window. */
  window: positiveIntFlag('--window').optional(),
  /** Tiny run for tests and smoke checks: few epochs. */
  quick: z.boolean().default(false),
  /** Also save report.png (needs headless Chromium). */
  png: z.boolean().default(false),
  /** No progress bar or log echo. */
  quiet: z.boolean().default(false),
  /** tfjs backend (default: AML_BACKEND or auto). */
  backend: z.enum(['auto', 'node-gpu', 'node', 'wasm', 'cpu']).optional(),
  /** Column types forced from the command line: 'zip=string,batch=string'. */
  types: typesOption,
  /** Keep infinite cells (inf, 1e400) instead of stopping at the first one. */
  allowNonfinite: z.boolean().default(false),
  /** Most training rows a gradient-trained model (logistic, MLP) fits on; above it a seeded subsample (--quick: at most 5,000). */
  maxTrainRows: positiveIntFlag('--max-train-rows').default(50_000),
  /** Continue an interrupted run in the same results folder from its checkpoint. */
  resume: z.boolean().default(false),
});

/** Validated analyze options. */
export type AnalyzeOptions = z.infer<typeof AnalyzeOptionsSchema>;

/** Options of `data-lab explore`. */
export const ExploreOptionsSchema = z.strictObject({
  /** Column to colour the embeddings by (not used in the embedding). */
  color: z.string().optional(),
  name: z.string().optional(),
  results: z.string().default('results'),
  out: z.string().optional(),
  force: z.boolean().default(false),
  seed: seedFlag,
  /** Autoencoder training epochs. */
  epochs: positiveIntFlag('--epochs').default(200),
  drop: z.string().optional(),
  quick: z.boolean().default(false),
  png: z.boolean().default(false),
  quiet: z.boolean().default(false),
  backend: z.enum(['auto', 'node-gpu', 'node', 'wasm', 'cpu']).optional(),
  types: typesOption,
  allowNonfinite: z.boolean().default(false),
});

/** Validated explore options. */
export type ExploreOptions = z.infer<typeof ExploreOptionsSchema>;

/** Options of `data-lab predict`. */
export const PredictOptionsSchema = z.strictObject({
  /** Output CSV (default: <model-dir>/predictions-<file base name>.csv). */
  output: z.string().optional(),
  /** Which saved model (default: the best one in cross-validation). */
  model: z.string().optional(),
  /** Overwrite an existing output file. */
  force: z.boolean().default(false),
  quiet: z.boolean().default(false),
  backend: z.enum(['auto', 'node-gpu', 'node', 'wasm', 'cpu']).optional(),
  types: typesOption,
  allowNonfinite: z.boolean().default(false),
});

/** Validated predict options. */
export type PredictOptions = z.infer<typeof PredictOptionsSchema>;

/** Parse options with a readable error naming the flag. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, command: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`${command}: invalid options\n${z.prettifyError(r.error)}`);
  return r.data;
}

/**
 * An analysis as a JSON file (`data-lab analyze --config a.json`), the form sweeps vary:
 * `{ "data": "x.csv", "target": "y", "model": { "hidden": [32, 32] }, "training": { "lr": 0.01 }, "seed": 0 }`.
 */
export const AnalysisConfigSchema = z.strictObject({
  /** The data file (relative to the working directory, or else to the config file's folder). */
  data: z.string(),
  target: z.string(),
  task: z.enum(['classification', 'regression', 'forecast']).optional(),
  time: z.string().optional(),
  folds: intAtLeast(2).optional(),
  seed: seed().optional(),
  name: z.string().optional(),
  model: z.strictObject({ hidden: z.array(positiveInt()).optional() }).optional(),
  training: z
    .strictObject({
      epochs: positiveInt().optional(),
      batchSize: positiveInt().optional(),
      lr: learningRate().optional(),
    })
    .optional(),
  preprocessing: z
    .strictObject({
      impute: z.enum(['mean', 'median', 'drop']).optional(),
      scale: z.enum(['standard', 'minmax', 'none']).optional(),
    })
    .optional(),
  drop: z.array(z.string()).optional(),
  window: positiveInt().optional(),
  quick: z.boolean().optional(),
  /** Column types forced by name, e.g. { "zip": "string" }. */
  types: z.record(z.string(), z.enum(['number', 'string', 'date'])).optional(),
  maxTrainRows: positiveInt().optional(),
});

/** An analysis config file's content. */
export type AnalysisConfig = z.infer<typeof AnalysisConfigSchema>;

/** The flat analyze options a config file stands for (undefined entries are left to defaults/flags). */
export function configToOptions(c: AnalysisConfig): Record<string, unknown> {
  const o: Record<string, unknown> = {
    target: c.target,
    task: c.task,
    time: c.time,
    folds: c.folds,
    seed: c.seed,
    name: c.name,
    hidden: c.model?.hidden?.join(','),
    epochs: c.training?.epochs,
    batchSize: c.training?.batchSize,
    lr: c.training?.lr,
    impute: c.preprocessing?.impute,
    scale: c.preprocessing?.scale,
    drop: c.drop?.join(','),
    window: c.window,
    quick: c.quick,
    types: c.types
      ? Object.entries(c.types)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')
      : undefined,
    maxTrainRows: c.maxTrainRows,
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

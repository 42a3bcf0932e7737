/**
 * The trainer's configuration: typed data with a doc line per field, validated with zod at the
 * boundary (a typo or a bad value fails with a message naming the field).
 */
import { z } from 'zod';
import { tf } from '../tf';
import type { Optimizer } from '../optim/optimizer';
import { parseConfig } from '../optim/parse-config';
import { nonNegativeInt, positiveInt, positiveNumber } from '../validation/atoms';
import { Rng } from '../random/rng';
import type { RunState } from '../checkpoint/format';
import type { Schedule } from '../schedules/schedules';
import type { Callback } from './callback';
import type { ProgressMode } from './progress';
import type { CustomStep, LossFn } from './types';

/** Configuration of one training run. */
export interface TrainConfig {
  /** Trainable variables, as a list or by name (names identify them in checkpoints). */
  readonly params: readonly tf.Variable[] | Readonly<Record<string, tf.Variable>>;
  /** Update rule; required with `loss`. */
  readonly optimizer?: Optimizer;
  /** Further optimizers a custom step uses (GAN: generator and discriminator), saved in checkpoints. */
  readonly optimizers?: Readonly<Record<string, Optimizer>>;
  /** Loss of the parameters for one step; exactly one of `loss` and `customStep`. */
  readonly loss?: LossFn;
  /** A model's own update instead of `optimizer` + `loss`. */
  readonly customStep?: CustomStep;
  /** Total (global) steps; exactly one of `steps` and `epochs`. */
  readonly steps?: number;
  /** Passes over `data`; exactly one of `steps` and `epochs`. */
  readonly epochs?: number;
  /** Training examples, each (N, ...rest) with the same N; the step's rows arrive as `ctx.batch`. */
  readonly data?: Readonly<Record<string, tf.Tensor>>;
  /** Rows per mini-batch (default: all N, full batch). */
  readonly batchSize?: number;
  /** Reshuffle the rows every epoch (default true). */
  readonly shuffle?: boolean;
  /** Seeded generator: shuffling and `ctx.rng` (default new Rng(0)). */
  readonly rng?: Rng;
  /** Learning rate per global step, assigned to every optimizer before each step. */
  readonly schedule?: Schedule;
  /** Hooks after each step / epoch / at the end (early stopping, logging, checkpoints). */
  readonly callbacks?: readonly Callback[];
  /** 'auto' (bar on a TTY, lines otherwise), 'bar', 'lines' or 'none' (default 'auto'). */
  readonly progress?: ProgressMode;
  /** Lines mode: a line every this many steps (default about 20 lines per run). */
  readonly progressEvery?: number;
  /** Where progress lines go (default stderr). */
  readonly progressWrite?: (line: string) => void;
  /** Stop at the first non-finite loss or term and restore the last good weights (default true). */
  readonly nanGuard?: boolean;
  /**
   * Write a checkpoint into `dir` every `every` steps, also once `everySeconds` have passed since
   * the last one (when given), and at the end (see `checkpoint/`). `state` adds the model's own state
   * to each one; `adopt` writes over this run's own earlier checkpoint there (a later phase of the
   * same run; default: only when resuming from `dir`).
   */
  readonly checkpoint?: {
    readonly dir: string;
    readonly every: number;
    readonly everySeconds?: number;
    readonly state?: () => RunState;
    readonly adopt?: boolean;
  };
  /** Continue from the checkpoint in this folder: weights, optimizer state, RNG, step and history. */
  readonly resumeFrom?: string;
  /**
   * Stop after the current step once this signal is aborted (Ctrl-C in a CLI): the history ends
   * with stoppedBy 'interrupted' and the checkpoint, if any, is written as at any other end.
   */
  readonly signal?: AbortSignal;
}

const fn = (field: string) =>
  z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', { error: `${field} must be a function` });
const isOptimizer = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Optimizer).minimize === 'function' &&
  typeof (v as Optimizer).getState === 'function';
const optimizerSchema = z.custom<Optimizer>(isOptimizer, {
  error: 'must be an Optimizer (adam(), sgd(), lbfgs(), ...)',
});

export const trainConfigSchema = z
  .strictObject({
    params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())], {
      error: 'params must be a list or a record of tf.Variables',
    }),
    optimizer: optimizerSchema.optional(),
    optimizers: z.record(z.string(), optimizerSchema).optional(),
    loss: fn('loss').optional(),
    customStep: fn('customStep').optional(),
    steps: nonNegativeInt('steps').optional(),
    epochs: positiveInt('epochs').optional(),
    data: z.record(z.string(), z.instanceof(tf.Tensor, { error: 'must be a tf.Tensor' })).optional(),
    batchSize: positiveInt('batchSize').optional(),
    shuffle: z.boolean().optional(),
    rng: z.instanceof(Rng, { error: 'rng must be an Rng (new Rng(seed))' }).optional(),
    schedule: fn('schedule').optional(),
    callbacks: z
      .array(z.custom<Callback>((v) => typeof v === 'object' && v !== null, { error: 'must be a Callback object' }))
      .optional(),
    progress: z.enum(['auto', 'bar', 'lines', 'none']).optional(),
    progressEvery: positiveInt('progressEvery').optional(),
    progressWrite: fn('progressWrite').optional(),
    nanGuard: z.boolean().optional(),
    checkpoint: z
      .strictObject({
        dir: z.string().min(1),
        every: positiveInt('checkpoint.every'),
        everySeconds: positiveNumber('checkpoint.everySeconds').optional(),
        state: fn('checkpoint.state').optional(),
        adopt: z.boolean().optional(),
      })
      .optional(),
    resumeFrom: z.string().min(1).optional(),
    signal: z
      .instanceof(AbortSignal, { error: 'signal must be an AbortSignal (new AbortController().signal)' })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (message: string, ...path: Array<string | number>) => ctx.addIssue({ code: 'custom', message, path });
    for (const [k, v] of Object.entries(c.params)) {
      if (!(v instanceof tf.Variable)) {
        const got = v instanceof tf.Tensor ? 'a tf.Tensor' : typeof v;
        issue(
          `must be a tf.Variable (wrap it: tf.variable(t)), got ${got}`,
          'params',
          Array.isArray(c.params) ? Number(k) : k,
        );
      }
    }
    if ((c.loss === undefined) === (c.customStep === undefined))
      issue('give exactly one of loss and customStep', 'loss');
    if (c.loss && !c.optimizer) issue('optimizer is required with loss (or give customStep)', 'optimizer');
    if ((c.steps === undefined) === (c.epochs === undefined)) issue('give exactly one of steps and epochs', 'steps');
    if (c.batchSize !== undefined && !c.data) issue('batchSize needs data (the tensors to batch)', 'batchSize');
    if (c.epochs !== undefined && !c.data) issue('epochs needs data; without data use steps', 'epochs');
  });

/** Validate a trainer config; throws `train: invalid config ✖ ... → at <field>`. */
export function validateTrainConfig(config: TrainConfig): TrainConfig {
  parseConfig(trainConfigSchema, config, 'train');
  return config; // the schema only checks: keep the caller's objects (tensors, closures) as they are
}

/** Variables with their checkpoint names: record keys, or `param0`, `param1`, ... for a list. */
export function namedParams(params: TrainConfig['params']): Array<[string, tf.Variable]> {
  return Array.isArray(params)
    ? (params as tf.Variable[]).map((v, i) => [`param${i}`, v])
    : Object.entries(params as Record<string, tf.Variable>);
}

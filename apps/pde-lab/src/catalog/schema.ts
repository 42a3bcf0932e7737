/**
 * The experiment file (`configs/<name>.json`): a problem config as `@aml/pinn` defines it
 * (its reference solution and observations included, in `problem.reference` and `problem.conditions`),
 * plus what only the app needs: a one-line description for `pde-lab list`, a `quick` override for
 * tests, how to draw the report, and classical baselines to compare against.
 *
 * A bare problem config (no `problem` key) is accepted too: it runs with the default report.
 */
import { z } from 'zod';
import { intAtLeast, positiveInt } from '@aml/core';

/** Where the report draws slices: fixed values of one input, e.g. t = 0.05 and t = 0.5. */
export const sliceSchema = z.strictObject({
  /** Input held fixed, e.g. 't'. */
  axis: z.string().min(1, 'slices.axis: name an input, e.g. "t"'),
  /** Values of that input where the solution is drawn against the reference. */
  at: z.array(z.number()).min(1, 'slices.at: give at least one value, e.g. [0.05, 0.5]'),
});

/** How the report samples and draws the solution. */
export const reportSchema = z.strictObject({
  /** Points per input axis of the evaluation grid (default 101). */
  grid: intAtLeast(2, 'report.grid').max(2001, 'report.grid must be at most 2001 points per axis').default(101),
  /** Slices drawn as curves (network vs reference). */
  slices: sliceSchema.optional(),
});

/** The explicit forward-Euler / centred-difference (FTCS) scheme for u_t = D u_xx (the course's PDE project). */
export const ftcsBaselineSchema = z.strictObject({
  type: z.literal('ftcs'),
  /** Grid spacing in x, e.g. 0.1 or 0.01. */
  dx: z.number().positive('ftcs.dx must be positive, e.g. 0.1'),
  /** Mesh ratio D dt / dx^2 (default 0.5, the stability limit). */
  r: z.number().positive().default(0.5),
  /** Diffusion coefficient D (default 1). */
  diffusivity: z.number().positive().default(1),
  /** Initial profile u(x, 0) as text in x (parsed with mathjs). */
  initial: z.string().min(1),
  /** Dirichlet values at the two ends (default 0, 0). */
  boundary: z.tuple([z.number(), z.number()]).default([0, 0]),
  /** Space input name (default 'x') and time input name (default 't'). */
  space: z.string().default('x'),
  time: z.string().default('t'),
});

/** -u'' = f on an interval by central differences and a tridiagonal solve (the course's Poisson baseline). */
export const poisson1dBaselineSchema = z.strictObject({
  type: z.literal('poisson1d'),
  /** Interior grid points (the course uses 10). */
  n: positiveInt('poisson1d.n'),
  /** f(x) as text. */
  source: z.string().min(1),
  /** Dirichlet values at the two ends (default 0, 0). */
  boundary: z.tuple([z.number(), z.number()]).default([0, 0]),
  /** The input (default 'x'). */
  space: z.string().default('x'),
});

/** A classical solver the network is compared with (on the report's slices for FTCS, over the interval for Poisson). */
export const baselineSchema = z.discriminatedUnion('type', [ftcsBaselineSchema, poisson1dBaselineSchema]);

/** An experiment file. */
export const experimentSchema = z.strictObject({
  /** Run name (default: the file name without .json); results go to results/<name>. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'name: use letters, digits, _ . - (it names the results folder)')
    .optional(),
  /** One line shown by `pde-lab list`. */
  description: z.string().min(1, 'description: write one line saying what the experiment shows'),
  /** Paper, course section or other source of the setting (shown in the report). */
  source: z.string().optional(),
  /** The problem config, validated by @aml/pinn (domain, equation, conditions, network, training, reference). */
  problem: z.record(z.string(), z.unknown()),
  /** Merged into `problem` by `--quick`: few steps, few points (every shipped experiment runs this way in the tests). */
  quick: z.record(z.string(), z.unknown()).optional(),
  /** True values of trainable coefficients (inverse problems): the report gives the relative error of each. */
  truth: z.record(z.string(), z.number()).optional(),
  /** Report settings. */
  report: reportSchema.default({ grid: 101 }),
  /** Classical baselines compared on the report's slices. */
  baselines: z.array(baselineSchema).default([]),
  /** Seed of the run (`--seed` overrides; default: the problem's training.seed, else 0). */
  seed: z.number().int().optional(),
});

/** A parsed experiment. */
export type Experiment = z.output<typeof experimentSchema>;
/** The raw JSON shape of an experiment file. */
export type ExperimentInput = z.input<typeof experimentSchema>;
export type FtcsBaseline = z.output<typeof ftcsBaselineSchema>;
export type Poisson1dBaseline = z.output<typeof poisson1dBaselineSchema>;
export type Baseline = z.output<typeof baselineSchema>;

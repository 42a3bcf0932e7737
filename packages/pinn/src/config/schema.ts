/**
 * The JSON form of a problem, validated with zod strict objects so a
 * typo or a bad value fails with a message naming the field. `problemFromConfig` turns a
 * parsed config into the typed problem, solver settings and reference.
 */
import {
  finiteNumber,
  halfOpenUnit,
  learningRate,
  nonNegativeInt,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  seed,
} from '@aml/core';
import { z } from 'zod';
import { SAMPLER_NAMES } from '../sampling/samplers';
import { referenceConfigSchema } from './reference-schema';
import { networkSchema } from './network-schema';

const range = z.tuple([finiteNumber(), finiteNumber()], { error: 'must be [lo, hi]' });
const text = z.string().min(1, { error: 'must be a non-empty expression' });
const value = z.union([finiteNumber(), text], { error: 'must be a number or an expression such as "sin(pi*x)"' });
const perOutput = z.union([text, z.record(z.string(), text)]);

/** A geometry: a box by axis ranges, or a shape; `time` adds a time axis [t0, t1]. */
export type GeometryConfig =
  | {
      readonly shape: 'box';
      readonly axes: Readonly<Record<string, readonly [number, number]>>;
      readonly time?: readonly [number, number];
    }
  | {
      readonly shape: 'disk';
      readonly center: readonly [number, number];
      readonly radius: number;
      readonly names?: readonly [string, string];
      readonly time?: readonly [number, number];
    }
  | {
      readonly shape: 'polygon';
      readonly vertices: readonly (readonly [number, number])[];
      readonly names?: readonly [string, string];
      readonly time?: readonly [number, number];
    }
  | {
      readonly shape: 'union' | 'difference' | 'intersection';
      readonly of: readonly [GeometryConfig, GeometryConfig];
      readonly time?: readonly [number, number];
    };

const names2 = z.tuple([z.string(), z.string()]).optional();
export const geometrySchema: z.ZodType<GeometryConfig> = z.lazy(() =>
  z.discriminatedUnion('shape', [
    z.strictObject({ shape: z.literal('box'), axes: z.record(z.string(), range), time: range.optional() }),
    z.strictObject({
      shape: z.literal('disk'),
      center: z.tuple([finiteNumber(), finiteNumber()]),
      radius: finiteNumber(),
      names: names2,
      time: range.optional(),
    }),
    z.strictObject({
      shape: z.literal('polygon'),
      vertices: z.array(z.tuple([finiteNumber(), finiteNumber()])).min(3),
      names: names2,
      time: range.optional(),
    }),
    z.strictObject({
      shape: z.enum(['union', 'difference', 'intersection']),
      of: z.tuple([geometrySchema, geometrySchema]),
      time: range.optional(),
    }),
  ]),
) as z.ZodType<GeometryConfig>;

/**
 * `domain`: either axis ranges ({ "x": [-1, 1], "t": [0, 1] }; an axis named t is time) or a
 * geometry object ({ "shape": "disk", "center": [0, 0], "radius": 1 }).
 */
export const domainSchema = z.union([z.record(z.string(), range), geometrySchema], {
  error: 'domain must map axis names to [lo, hi] ({"x": [0, 1], "t": [0, 1]}) or be a shape ({"shape": "disk", ...})',
});

const common = {
  component: z.string().optional(),
  points: positiveInt().optional(),
  weight: finiteNumber().optional(),
};
export const conditionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('initial'),
      value,
      derivative: z.union([z.literal(0), z.literal(1)]).optional(),
      ...common,
    }),
    z.strictObject({ type: z.literal('dirichlet'), on: z.string().optional(), value, ...common }),
    z.strictObject({ type: z.literal('neumann'), on: z.string().optional(), value, ...common }),
    z.strictObject({
      type: z.literal('robin'),
      on: z.string().optional(),
      a: finiteNumber(),
      b: finiteNumber(),
      value,
      ...common,
    }),
    z.strictObject({ type: z.literal('periodic'), input: z.string(), derivative: z.boolean().optional(), ...common }),
    z.strictObject({
      type: z.literal('operator'),
      expression: text,
      on: z.string().optional(),
      region: z.enum(['boundary', 'initial', 'interior']).optional(),
      points: positiveInt().optional(),
      weight: finiteNumber().optional(),
    }),
    z.strictObject({
      type: z.literal('observations'),
      /** Inline observations: points (rows of inputs) and values (rows of outputs). */
      points: z.array(z.array(finiteNumber())).optional(),
      values: z.array(z.union([finiteNumber(), z.array(finiteNumber())])).optional(),
      /** Or generated from the reference's exact solution at `count` random points, with relative Gaussian noise. */
      fromExact: z
        .strictObject({ count: positiveInt(), noise: nonNegativeNumber().optional(), seed: seed().optional() })
        .optional(),
      components: z.array(z.string()).optional(),
      weight: finiteNumber().optional(),
    }),
  ],
  { error: 'condition type must be one of initial, dirichlet, neumann, robin, periodic, operator, observations' },
);

const decaySchema = z.strictObject({
  rate: positiveNumber(),
  every: positiveInt(),
  /** Drop in stairs (default true) or smoothly, rate^(step/every) as jaxpi. */
  staircase: z.boolean().optional(),
});
const nonNeg = nonNegativeNumber();
/** Causal weighting over time (Wang, Sankaran & Perdikaris 2022). */
const causalSchema = z.strictObject({
  chunks: positiveInt().optional(),
  /** One ε, or increasing values annealed through. */
  epsilon: z.union([nonNeg, z.array(nonNeg).min(1, { error: 'needs at least one value' })]).optional(),
  delta: z.number().gt(0, { error: 'must be in (0, 1]' }).max(1, { error: 'must be in (0, 1]' }).optional(),
});
/** Replace the residual points every `every` Adam steps: uniform, or RAD (Wu et al. 2023). */
const resampleSchema = z.strictObject({
  every: positiveInt(),
  method: z.enum(['uniform', 'rad']).optional(),
  candidates: positiveInt().optional(),
  k: nonNeg.optional(),
  c: nonNeg.optional(),
});
const weightingSchema = z.discriminatedUnion('scheme', [
  z.strictObject({ scheme: z.literal('fixed'), weights: z.record(z.string(), finiteNumber()).optional() }),
  z.strictObject({
    scheme: z.literal('relobralo'),
    alpha: finiteNumber().optional(),
    rho: finiteNumber().optional(),
    temperature: finiteNumber().optional(),
  }),
  z.strictObject({ scheme: z.literal('lra'), alpha: finiteNumber().optional(), every: positiveInt().optional() }),
  z.strictObject({
    scheme: z.literal('gradnorm'),
    every: positiveInt().optional(),
    momentum: halfOpenUnit().optional(),
  }),
]);

export const problemConfigSchema = z.strictObject({
  /** Experiment name (results/<name>/). */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, { error: 'name must be letters, digits, - or _' }),
  /** One line on what it is. */
  description: z.string().optional(),
  domain: domainSchema,
  /** Output names (default ["u"]). */
  outputs: z.array(z.string().min(1)).min(1).optional(),
  /** The residual(s) as text; "a = b" means a - b. */
  equation: z.union([text, z.array(text).min(1)]),
  /** Coefficients: a number (fixed) or { initial, trainable }. */
  parameters: z
    .record(
      z.string(),
      z.union([finiteNumber(), z.strictObject({ initial: finiteNumber(), trainable: z.boolean().optional() })]),
    )
    .optional(),
  conditions: z.array(conditionSchema).default([]),
  /** Lagaris trial solution g = h1 + h2 N (per output when records). */
  constraint: z.strictObject({ h1: perOutput, h2: perOutput }).optional(),
  /** The network: kind ('mlp' when absent), layers, activation, and optional fourier / periodic / factorized (see network-schema.ts). */
  network: networkSchema,
  training: z
    .strictObject({
      /** Interior points, or counts per kind. */
      points: z
        .union([
          positiveInt(),
          z.strictObject({
            domain: positiveInt().optional(),
            boundary: positiveInt().optional(),
            initial: positiveInt().optional(),
          }),
        ])
        .default(2000),
      sampler: z.enum(SAMPLER_NAMES).default('lhs'),
      adam: z
        .strictObject({
          steps: nonNegativeInt(),
          lr: learningRate().default(1e-3),
          warmup: nonNegativeInt().optional(),
          decay: decaySchema.optional(),
        })
        .default({ steps: 1000, lr: 1e-3 }),
      lbfgs: z.strictObject({ steps: nonNegativeInt() }).optional(),
      weighting: weightingSchema.optional(),
      refinement: z
        .strictObject({
          every: positiveInt(),
          add: positiveInt(),
          candidates: positiveInt().optional(),
          maxPoints: positiveInt().optional(),
        })
        .optional(),
      causal: causalSchema.optional(),
      resample: resampleSchema.optional(),
      /** Time-marching: equal time windows trained in order. */
      marching: z
        .strictObject({
          windows: positiveInt(),
          mode: z.enum(['continue', 'fresh']).optional(),
          initialPoints: positiveInt().optional(),
        })
        .optional(),
      scaleInputs: z.boolean().default(true),
      /** Derivative engine: 'fused' (WASM kernel; falls back to 'taylor' with a notice where it cannot run), 'taylor' or 'nested'. */
      engine: z.enum(['fused', 'taylor', 'nested']).default('fused'),
      /**
       * Threads of the fused kernel (default 1; 2 on a two-core machine takes about half the wall time). The
       * points are split by this number, so a run repeats exactly only with the same value.
       */
      threads: z.number().int().min(1).max(16).optional(),
      seed: seed().default(0),
      /** Checkpoints of a run (read by the app, which knows the folder): every this many steps and at least every this many seconds. */
      checkpoint: z.strictObject({ every: positiveInt().optional(), seconds: positiveNumber().optional() }).optional(),
    })
    .default({
      points: 2000,
      sampler: 'lhs',
      adam: { steps: 1000, lr: 1e-3 },
      scaleInputs: true,
      engine: 'fused',
      seed: 0,
    }),
  /** What the network is scored against: `exact` text or a classical `solver`, and/or a data `file` (see reference-schema.ts). */
  reference: referenceConfigSchema.optional(),
});

/** A validated problem config (defaults filled in). */
export type ProblemConfig = z.output<typeof problemConfigSchema>;
/** What a config file may contain before defaults. */
export type ProblemConfigInput = z.input<typeof problemConfigSchema>;

/** Validate unknown JSON as a problem config; the error lists every bad field with its path. */
export function parseProblemConfig(json: unknown, source = 'config'): ProblemConfig {
  const r = problemConfigSchema.safeParse(json);
  if (!r.success) throw new Error(`${source} is not a valid problem:\n${z.prettifyError(r.error)}`);
  return r.data;
}

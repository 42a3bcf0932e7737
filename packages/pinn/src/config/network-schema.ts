/**
 * The `network` entry of a config file, as a strict zod union on `kind` (a missing kind is
 * 'mlp', so `{"layers": [...], "activation": "tanh"}` keeps meaning a plain MLP), and its
 * translation to the solver's `NetworkSpec`.
 *
 * @example
 *   "network": { "kind": "modified-mlp", "layers": [128, 128, 128], "activation": "tanh",
 *                "periodic": { "x": 2 }, "fourier": { "sigma": 1, "features": 128 },
 *                "factorized": { "mu": 1, "sigma": 0.1 } }
 */
import { ACTIVATION_NAMES, finiteNumber, nonNegativeNumber, positiveInt, positiveNumber } from '@aml/core';
import { z } from 'zod';
import { NETWORK_KINDS, type NetworkSpec } from '../networks/create';

const positive = positiveNumber();

const fields = {
  /** Hidden widths: layers ('mlp', 'modified-mlp': equal widths) or blocks ('pirate'). */
  layers: z.array(positiveInt()).min(1, { error: 'needs at least one hidden layer' }),
  activation: z.enum(ACTIVATION_NAMES).default('tanh'),
  /** Random Fourier features: sigma (no 2 pi; a number or per input name), embedding width m (even, default 128), trainable B (default true). */
  fourier: z
    .strictObject({
      /** One sigma for all inputs, or one per input name, e.g. {"t": 10, "x": 1}. */
      sigma: z.union([positive, z.record(z.string(), positive)]),
      features: positiveInt()
        .refine((m) => m % 2 === 0, { error: 'must be even (m/2 cosines and m/2 sines)' })
        .optional(),
      trainable: z.boolean().optional(),
    })
    .optional(),
  /** Exact periodic embedding: input name -> period. */
  periodic: z.record(z.string(), positive).optional(),
  /** 'pirate' only: start the output layer as the least-squares fit of the initial condition. */
  init: z.enum(['initial-condition']).optional(),
  /** Random weight factorization: log g ~ N(mu, sigma^2) per output column (defaults 1, 0.1). */
  factorized: z.strictObject({ mu: finiteNumber().optional(), sigma: nonNegativeNumber().optional() }).optional(),
};

/** `network` in a config file. */
export const networkSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'mlp' } : v),
  z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('mlp'), ...fields }),
      z.strictObject({ kind: z.literal('modified-mlp'), ...fields }),
      z.strictObject({ kind: z.literal('pirate'), ...fields }),
    ],
    {
      error: (iss) =>
        iss.input === undefined
          ? 'network is required, e.g. {"layers": [50, 50, 50], "activation": "tanh"}'
          : `network.kind must be one of ${NETWORK_KINDS.join(', ')}`,
    },
  ),
);

/** A validated `network` entry. */
export type NetworkConfigEntry = z.output<typeof networkSchema>;

/** The solver's `NetworkSpec` for a validated `network` entry. */
export function networkSpecFromConfig(n: NetworkConfigEntry): NetworkSpec {
  return {
    kind: n.kind,
    hidden: n.layers,
    activation: n.activation,
    fourier: n.fourier,
    periodic: n.periodic,
    factorized: n.factorized,
    ...(n.init ? { init: n.init } : {}),
  };
}

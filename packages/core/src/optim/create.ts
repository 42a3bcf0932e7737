/**
 * Build any optimizer (first-order or L-BFGS) from plain config data (as read from a JSON experiment file):
 * `{ name: 'adam', learningRate: 1e-3 }`. Unknown names and options fail with a message naming them.
 */
import { z } from 'zod';
import { Adagrad, adagradConfigSchema } from './adagrad';
import { Adam, adamConfigSchema } from './adam';
import { AdamW, adamwConfigSchema } from './adamw';
import { Momentum, momentumConfigSchema } from './momentum';
import { Lbfgs, lbfgsConfigSchema } from './lbfgs/lbfgs';
import type { Optimizer } from './optimizer';
import { parseConfig } from './parse-config';
import { Rmsprop, rmspropConfigSchema } from './rmsprop';
import { Sgd, sgdConfigSchema } from './sgd';

/** Optimizer config as data; `name` picks the rule, the other fields are that rule's config. */
export const optimizerConfigSchema = z.discriminatedUnion(
  'name',
  [
    sgdConfigSchema.extend({ name: z.literal('sgd') }),
    momentumConfigSchema.extend({ name: z.literal('momentum') }),
    adagradConfigSchema.extend({ name: z.literal('adagrad') }),
    rmspropConfigSchema.extend({ name: z.literal('rmsprop') }),
    adamConfigSchema.extend({ name: z.literal('adam') }),
    adamwConfigSchema.extend({ name: z.literal('adamw') }),
    lbfgsConfigSchema.extend({ name: z.literal('lbfgs') }),
  ],
  {
    error: (iss) =>
      `name must be one of sgd, momentum, adagrad, rmsprop, adam, adamw, lbfgs, got ${JSON.stringify((iss.input as { name?: unknown })?.name)}`,
  },
);

/** Optimizer config as data (input form: defaults optional). */
export type OptimizerConfig = z.input<typeof optimizerConfigSchema>;

/**
 * Build an optimizer from config data.
 * @example
 *   const opt = createOptimizer({ name: 'adamw', learningRate: 1e-3, weightDecay: 1e-4 });
 */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  const { name, ...rest } = parseConfig(optimizerConfigSchema, config, 'optimizer');
  switch (name) {
    case 'sgd':
      return new Sgd(rest);
    case 'momentum':
      return new Momentum(rest);
    case 'adagrad':
      return new Adagrad(rest);
    case 'rmsprop':
      return new Rmsprop(rest);
    case 'adam':
      return new Adam(rest);
    case 'adamw':
      return new AdamW(rest);
    case 'lbfgs':
      return new Lbfgs(rest);
  }
}

/**
 * `pde-lab sweep`: run an experiment over parameter values and seeds, locally or as a Slurm job
 * array, and collect one table and report. The implementation is @aml/sweep's; this file says how
 * pde-lab runs one config (`pde-lab run --config <run>/config.json --out <run>`), where its seed
 * lives (`seed`), how `--base heat` finds `experiments/pde/heat.json`, and checks each expanded
 * config against the experiment schema before anything runs.
 *
 *   pde-lab sweep run --base heat --set problem.network.layers=[20,20,20];[50,50,50] \
 *     --set problem.training.points.domain=2000,10000 --seeds 3 [--executor slurm --partition short --time 01:00:00]
 *   pde-lab sweep collect results/heat-sweep
 */
import { join } from 'node:path';
import { createSweepCommand, tsNodeCommand } from '@aml/sweep';
import { z } from 'zod';
import { resolveExperiment } from './experiments/catalog';
import { experimentSchema } from './experiments/schema';

/**
 * How one run executes. `--force` is safe here: the sweep's wrapper never starts a finished run, and
 * it lets a retried run replace what a failed attempt left (its output is kept as output.attempt<N>.txt).
 */
export const RUN_COMMAND = tsNodeCommand(join(__dirname, 'main.ts'), 'run --config {config} --out {out} --force');

/** The `sweep` command, registered by the CLI program. */
export const sweep = createSweepCommand({
  app: 'pde-lab',
  command: RUN_COMMAND,
  seedPath: 'seed',
  resolveBase: (ref) => resolveExperiment(ref),
  validateConfig: (config) => {
    const r = experimentSchema.safeParse(config);
    if (!r.success) throw new Error(z.prettifyError(r.error));
  },
});

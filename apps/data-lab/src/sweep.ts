/**
 * `data-lab sweep`: run an analysis of a user's data over parameter values and seeds, locally or as
 * a Slurm job array, and collect one table and report. The implementation is @aml/sweep's; this
 * file says how data-lab runs one config (`data-lab analyze --config <run>/config.json --out <run>`),
 * where its seed lives (`seed`), and checks each expanded config against the analysis-config schema
 * before anything runs.
 *
 *   data-lab sweep run --base my-analysis.json --set model.hidden=[32];[64,64] --set training.lr=1e-3,1e-2 --seeds 5
 *   data-lab sweep collect results/my-analysis-sweep --metric accuracy
 */
import { join } from 'node:path';
import { createSweepCommand, tsNodeCommand } from '@aml/sweep';
import { z } from 'zod';
import { AnalysisConfigSchema } from './cli/options';

/**
 * How one run executes. `--force` is safe here: the sweep's wrapper never starts a finished run, and
 * it lets a retried run replace what a failed attempt left (its output is kept as output.attempt<N>.txt).
 */
export const RUN_COMMAND = tsNodeCommand(join(__dirname, 'main.ts'), 'analyze --config {config} --out {out} --force');

/** The `sweep` command, registered by the CLI program. */
export const sweep = createSweepCommand({
  app: 'data-lab',
  command: RUN_COMMAND,
  seedPath: 'seed',
  validateConfig: (config) => {
    const r = AnalysisConfigSchema.safeParse(config);
    if (!r.success) throw new Error(z.prettifyError(r.error));
  },
});

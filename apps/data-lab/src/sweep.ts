/**
 * `data-lab sweep`: run an analysis of a user's data over parameter values and seeds, locally or as
 * a Slurm job array, and collect one table and report. The implementation is @aml/sweep's; this
 * file says how data-lab runs one config (`data-lab analyze --config <run>/config.json --out <run>`),
 * how a preempted run continues (`--resume` from `<run>/checkpoint/state.json`), where its seed
 * lives (`seed`), and checks each expanded config against the analysis-config schema before
 * anything is written or submitted.
 *
 *   data-lab sweep run --base my-analysis.json --set model.hidden=[32];[64,64] --set training.lr=1e-3,1e-2 --seeds 5
 *   data-lab sweep collect results/my-analysis-sweep --metric accuracy
 */
import { join } from 'node:path';
import { builtCommand, createSweepCommand, tsNodeCommand } from '@aml/sweep';
import { z } from 'zod';
import { AnalysisConfigSchema } from './cli/options';

/** The arguments of one run. `--force` is safe: the sweep's wrapper never starts a finished run, and
 *  it lets a retried run replace what a failed attempt left (its output is kept as output.attempt<N>.txt). */
const RUN_ARGS = 'analyze --config {config} --out {out} --force';

/** How one run executes through ts-node (the fallback when there is no up-to-date build). */
export const RUN_COMMAND = tsNodeCommand(join(__dirname, 'main.ts'), RUN_ARGS);

/** How one run executes: the built JavaScript when `npm run build` made an up-to-date one, else `RUN_COMMAND`. */
export function runCommand(): string {
  return builtCommand(join(__dirname, 'main.ts'), RUN_ARGS).command;
}

/** The `sweep` command, registered by the CLI program. */
export const sweep = createSweepCommand({
  app: 'data-lab',
  command: runCommand,
  // `analyze --resume` continues from the last finished fit and refuses --force.
  resume: { args: '--resume', drop: ['--force'], checkpoint: 'checkpoint/state.json' },
  seedPath: 'seed',
  validateConfig: (config) => {
    const r = AnalysisConfigSchema.safeParse(config);
    if (!r.success) throw new Error(z.prettifyError(r.error));
  },
});

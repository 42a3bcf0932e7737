/**
 * `data-lab sweep`: run an analysis of a user's data over parameter values and seeds, locally or as
 * a Slurm job array, and collect one table and report. The implementation is @aml/sweep's; this
 * file says how data-lab runs one config (`data-lab analyze --config <run>/config.json --out <run>`)
 * and where its seed lives (`seed`).
 *
 *   data-lab sweep run --base my-analysis.json --set model.hidden=[32];[64,64] --set training.lr=1e-3,1e-2 --seeds 5
 *   data-lab sweep collect results/my-analysis-sweep --metric accuracy
 */
import { join } from 'node:path';
import { createSweepCommand, tsNodeCommand } from '@aml/sweep';

/** How one run executes (the analysis command with its config and results folder). */
export const RUN_COMMAND = tsNodeCommand(join(__dirname, 'main.ts'), 'analyze --config {config} --out {out}');

/** The `sweep` command, registered by the CLI program. */
export const sweep = createSweepCommand({ app: 'data-lab', command: RUN_COMMAND, seedPath: 'seed' });

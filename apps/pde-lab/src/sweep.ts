/**
 * `pde-lab sweep`: run an experiment over parameter values and seeds, locally or as a Slurm job
 * array, and collect one table and report. The implementation is @aml/sweep's; this file says how
 * pde-lab runs one config (`pde-lab run --config <run>/config.json --out <run>`), how a preempted
 * run continues (`--resume` from `<run>/checkpoint`), where its seed lives (`seed`), how
 * `--base heat` finds the shipped `configs/heat.json`, and checks each fully expanded config (the
 * experiment schema, then the problem as `pde-lab run` parses it, with its quick block merged too)
 * before anything is written or submitted.
 *
 *   pde-lab sweep run --base heat --set problem.network.layers=[20,20,20];[50,50,50] \
 *     --set problem.training.points.domain=2000,10000 --seeds 3 [--executor slurm --partition short --time 01:00:00]
 *   pde-lab sweep collect results/heat-sweep
 */
import { join } from 'node:path';
import {
  builtCommand,
  createSweepCommand,
  deepMerge,
  tsNodeCommand,
  type JsonObject,
  type RunCommandChoice,
} from '@aml/sweep';
import { z } from 'zod';
import { pinnAdapter } from './adapter/pinn';
import { resolveExperiment } from './catalog/catalog';
import { experimentSchema } from './catalog/schema';

/** The arguments of one run. `--force` is safe: the sweep's wrapper never starts a finished run, and
 *  it lets a retried run replace what a failed attempt left (its output is kept as output.attempt<N>.txt). */
const RUN_ARGS = 'run --config {config} --out {out} --force';

/** How one run executes through ts-node (the fallback when there is no up-to-date build). */
export const RUN_COMMAND = tsNodeCommand(join(__dirname, 'main.ts'), RUN_ARGS);

/**
 * How one run executes: the built JavaScript when `npm run build` made an up-to-date one, else `RUN_COMMAND`
 * (`via` and `reason` say which and why; the sweep prints it).
 */
export function runCommand(): RunCommandChoice {
  return builtCommand(join(__dirname, 'main.ts'), RUN_ARGS);
}

/**
 * Check one expanded config as `pde-lab run` would before training: the experiment schema, then the
 * problem through the PINN adapter (activation names, equations, conditions...), also with the
 * experiment's quick block merged in (what `--run-args --quick` trains).
 * @throws with the schema's located messages.
 */
export function validateSweepConfig(config: JsonObject): void {
  const r = experimentSchema.safeParse(config);
  if (!r.success) throw new Error(z.prettifyError(r.error));
  pinnAdapter.parse(r.data.problem, 'problem');
  if (r.data.quick) pinnAdapter.parse(deepMerge(r.data.problem, r.data.quick), 'problem with its quick block');
}

/** The `sweep` command, registered by the CLI program. */
export const sweep = createSweepCommand({
  app: 'pde-lab',
  command: runCommand,
  // `run --resume` continues from the run folder's checkpoint and refuses --force.
  resume: { args: '--resume', drop: ['--force'], checkpoint: 'checkpoint' },
  seedPath: 'seed',
  resolveBase: (ref) => resolveExperiment(ref),
  validateConfig: validateSweepConfig,
});

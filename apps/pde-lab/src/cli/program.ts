/**
 * The `pde-lab` command line (commander): `run`, `list`, `eval` and `sweep`.
 * Actions only parse flags into typed options and call the commands; they print through `io`,
 * so tests drive the whole CLI in-process.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES, type BackendChoice } from '@aml/core';
import type { ProblemAdapter } from '../adapter/contract';
import { evalResults, formatEval } from '../commands/eval';
import { formatList } from '../commands/list';
import { runExperiment } from '../commands/run';
import { EXPERIMENTS_DIR } from '../experiments/catalog';
import { sweep } from '../sweep';

/** Where the CLI prints and what it runs with. */
export interface CliDeps {
  /** The solver side. */
  readonly adapter: ProblemAdapter;
  /** Normal output (stdout): results, listings. */
  readonly out: (text: string) => void;
  /** Raw help and usage-error text from commander (default: process stdout/stderr). */
  readonly helpOut?: (text: string) => void;
  readonly helpErr?: (text: string) => void;
  /** Log and progress lines (stderr); null silences them. */
  readonly log?: ((text: string) => void) | null;
  /** Experiments folder (tests point it at a temp folder). */
  readonly experimentsDir?: string;
}

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be an integer, got '${v}'`);
    return n;
  };
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = int(name)(v);
    if (n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${n}`);
    return n;
  };
}

const backendOption = () =>
  new Option('--backend <name>', 'tfjs backend; auto tries node-gpu, node, wasm, cpu in order').choices(['auto', ...BACKEND_NAMES]).default('auto');

/** Build the program. `parseAsync(argv)` runs it. */
export function buildProgram(deps: CliDeps): Command {
  const dir = deps.experimentsDir ?? EXPERIMENTS_DIR;
  const program = new Command('pde-lab')
    .description(
      'Differential equations with physics-informed neural networks: train an experiment from a config, ' +
        'compare it with its exact or classical reference, and write results/<name>/ with metrics and a report.',
    )
    .showHelpAfterError('(run pde-lab --help, or pde-lab <command> --help, for usage)')
    // Throw instead of exiting (main.ts turns errors into an exit status; tests catch them). Set before
    // the subcommands are added so they inherit it.
    .exitOverride()
    .configureOutput({
      writeOut: deps.helpOut ?? ((t) => process.stdout.write(t)),
      writeErr: deps.helpErr ?? ((t) => process.stderr.write(t)),
    });

  program
    .command('run')
    .summary('train an experiment and write results/<name>/')
    .description(
      'Train an experiment and write <out>/{config.json, metrics.json, report.html, checkpoint/, log.txt}. ' +
        'The config is validated first: a wrong field stops the run before training, with a message naming it. ' +
        'An earlier run in the folder is kept unless --force is given.',
    )
    .argument('[experiment]', `a shipped experiment name (see pde-lab list) or the path of a config .json`)
    .option('--config <file>', 'config file (same as giving its path as the argument)')
    .option('--force', 'overwrite an earlier run in the results folder', false)
    .option('--seed <n>', 'random seed (network initialisation, collocation points, noise); default: the config\'s', int('--seed'))
    .addOption(backendOption())
    .option('--steps <n>', 'total optimiser steps instead of the config\'s (e.g. a short trial run)', positiveInt('--steps'))
    .option('--quick', 'tiny run (few steps, few points) from the experiment\'s quick block: checks a config end to end in seconds', false)
    .option('--out <dir>', 'results folder (default: results/<name>)')
    .addHelpText('after', '\nExamples:\n  pde-lab run heat                 # the course\'s heat-equation project -> results/heat/\n  pde-lab run burgers --steps 500 --out /tmp/burgers\n  pde-lab run my-problem.json --quick --force')
    .action(async (experiment: string | undefined, opts: { config?: string; force: boolean; seed?: number; backend: BackendChoice; steps?: number; quick: boolean; out?: string }) => {
      const which = experiment ?? opts.config;
      if (!which) throw new InvalidArgumentError('run: name an experiment (pde-lab list) or give --config <file>');
      if (experiment && opts.config) throw new InvalidArgumentError('run: give either an experiment argument or --config, not both');
      await runExperiment(
        { experiment: which, force: opts.force, seed: opts.seed, backend: opts.backend, steps: opts.steps, quick: opts.quick, out: opts.out, experimentsDir: dir, echo: deps.log },
        deps.adapter,
      );
    });

  program
    .command('list')
    .summary('list the shipped experiments')
    .description('List the shipped experiments (experiments/pde/*.json) with their one-line descriptions.')
    .action(() => deps.out(formatList(dir)));

  program
    .command('eval')
    .summary('score a trained model against a reference grid file (CSV or NPY)')
    .description(
      'Score a trained model against a reference grid file: relative L2 and max error per output. ' +
        'CSV: a header naming the inputs and outputs (e.g. x,t,u). NPY: a 2-D array whose columns are the ' +
        'inputs then the outputs (or as named by --columns).',
    )
    .argument('<results-dir>', 'a folder written by pde-lab run, e.g. results/heat')
    .requiredOption('--reference <file>', 'reference grid (.csv or .npy)')
    .option('--columns <names>', 'column names of a .npy file, comma-separated (default: inputs then outputs)', (v: string) => v.split(',').map((s) => s.trim()))
    .option('--json', 'print the result as JSON', false)
    .addOption(backendOption())
    .addHelpText('after', '\nExample:\n  pde-lab eval results/burgers --reference data/burgers_shock.csv')
    .action(async (resultsDir: string, opts: { reference: string; columns?: string[]; json: boolean; backend: BackendChoice }) => {
      const r = await evalResults({ dir: resultsDir, reference: opts.reference, columns: opts.columns, backend: opts.backend, log: deps.log === null ? () => undefined : deps.log }, deps.adapter);
      deps.out(opts.json ? JSON.stringify(r) : formatEval(r));
    });

  // `pde-lab sweep ...` (from @aml/sweep, wired up in ../sweep.ts by its owner).
  program.addCommand(sweep);
  return program;
}

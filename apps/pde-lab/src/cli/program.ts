/**
 * The `pde-lab` command line (commander): `run`, `list`, `eval`, `export` and `sweep`.
 * Actions only parse flags into typed options and call the commands; they print through `io`,
 * so tests drive the whole CLI in-process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES, positiveInt, positiveNumber, type Atom, type BackendChoice } from '@aml/core';
import type { SignalWatch } from '@aml/core/node';
import type { ProblemAdapter } from '../adapter/contract';
import { evalResults, formatEval, parseKeys } from '../commands/eval';
import { EXPORT_FORMATS, exportResults } from '../commands/export';
import { formatList } from '../commands/list';
import { runExperiment } from '../commands/run';
import { ConfigError, EXPERIMENTS_DIR } from '../catalog/catalog';
import type { ProgressSink } from '../progress/bar';
import { sweep } from '../sweep';
import { friendlyError } from './errors';

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
  /** Listen for SIGINT/SIGTERM during a run (main.ts passes `watchSignals`; tests their own). */
  readonly signals?: (say?: (line: string) => void) => SignalWatch;
  /** A progress bar for runs (main.ts passes one when stderr is a TTY); default: progress lines. */
  readonly bar?: () => ProgressSink;
}

/** The app's version (package.json). */
export function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string })
    .version;
}

/** A flag's text as a number when it reads as one, else the text itself (so a message shows what was typed). */
const fromText = (v: string): unknown => (v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);

/** A commander parser applying one of core's shared rules; the message names the flag and the value. */
function flagParser(rule: Atom, name: string) {
  return (v: string): number => {
    const r = rule(name).safeParse(fromText(v));
    if (!r.success) throw new InvalidArgumentError(r.error.issues[0].message);
    return r.data;
  };
}

/** Options of the run command as commander parses them. */
interface RunFlags {
  config?: string;
  force: boolean;
  seed?: number;
  backend: BackendChoice;
  steps?: number;
  quick: boolean;
  out?: string;
  resume: boolean;
  checkpointEvery?: number;
  checkpointSeconds?: number;
}

/** The checks of `run`'s arguments that commander cannot express. */
function runTarget(experiment: string | undefined, opts: RunFlags): string {
  const which = experiment ?? opts.config;
  if (!which)
    throw new ConfigError('run: name an experiment (see pde-lab list) or give --config <file>, e.g. pde-lab run heat');
  if (experiment && opts.config) throw new ConfigError('run: give either an experiment argument or --config, not both');
  if (opts.resume) {
    const clash = (['quick', 'steps', 'seed', 'force'] as const).filter((k) =>
      k === 'quick' || k === 'force' ? opts[k] : opts[k] !== undefined,
    );
    if (clash.length) {
      throw new ConfigError(
        `run --resume continues the run as saved in its results folder (config.json); drop ${clash.map((k) => `--${k}`).join(', ')}`,
      );
    }
  }
  return which;
}

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError(`${name} must be an integer, got '${v}'`);
    return n;
  };
}

const backendOption = () =>
  new Option('--backend <name>', 'tfjs backend; auto tries node-gpu, node, wasm, cpu in order')
    .choices(['auto', ...BACKEND_NAMES])
    .default('auto');

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
    .version(version(), '-V, --version', 'print the version of pde-lab')
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
    .option(
      '--seed <n>',
      "random seed (network initialisation, collocation points, noise); default: the config's",
      int('--seed'),
    )
    .addOption(backendOption())
    .option(
      '--steps <n>',
      "total optimiser steps instead of the config's (e.g. a short trial run)",
      flagParser(positiveInt, '--steps'),
    )
    .option(
      '--quick',
      "tiny run (few steps, few points) from the experiment's quick block: checks a config end to end in seconds",
      false,
    )
    .option('--out <dir>', 'results folder (default: results/<name>)')
    .option(
      '--resume',
      'continue the run in the results folder from its last checkpoint (after Ctrl-C, a kill or a crash)',
      false,
    )
    .option(
      '--checkpoint-every <steps>',
      'checkpoint every this many steps (default: training.checkpoint.every, else 1000)',
      flagParser(positiveInt, '--checkpoint-every'),
    )
    .option(
      '--checkpoint-seconds <s>',
      'checkpoint at least every this many seconds (default: training.checkpoint.seconds, else 60)',
      flagParser(positiveNumber, '--checkpoint-seconds'),
    )
    .addHelpText(
      'after',
      "\nExamples:\n  pde-lab run heat                 # the course's heat-equation project -> results/heat/\n  pde-lab run burgers --steps 500 --out /tmp/burgers\n" +
        '  pde-lab run my-problem.json --quick --force\n  pde-lab run burgers --resume     # continue after Ctrl-C or a crash\n' +
        '\nExit status: 0 completed, 1 bad input (nothing written), 3 training diverged, 130 / 143 interrupted by SIGINT / SIGTERM (resumable).',
    )
    .action(async (experiment: string | undefined, opts: RunFlags) => {
      const which = runTarget(experiment, opts);
      const bar = deps.log === null ? undefined : deps.bar?.();
      // the note a signal prints goes above the bar, not through it
      const watch = deps.signals?.(bar ? (l) => bar.echo(l) : undefined);
      try {
        await runExperiment(
          {
            experiment: which,
            force: opts.force,
            seed: opts.seed,
            backend: opts.backend,
            steps: opts.steps,
            quick: opts.quick,
            out: opts.out,
            experimentsDir: dir,
            echo: deps.log,
            resume: opts.resume,
            checkpointEvery: opts.checkpointEvery,
            checkpointSeconds: opts.checkpointSeconds,
            signal: watch?.signal,
            bar,
          },
          deps.adapter,
        );
      } catch (e) {
        throw friendlyError(e);
      } finally {
        watch?.dispose();
      }
    });

  program
    .command('list')
    .summary('list the shipped experiments')
    .description('List the shipped experiments (configs/*.json) with their one-line descriptions.')
    .action(() => deps.out(formatList(dir)));

  program
    .command('eval')
    .summary('score a trained model against a reference grid file (CSV, NPY, NPZ, MAT or HDF5)')
    .description(
      'Score a trained model against a reference grid file: relative L2 and max error per output. ' +
        'CSV: a header naming the inputs and outputs (e.g. x,t,u). NPY: a 2-D array whose columns are the ' +
        'inputs then the outputs (or as named by --columns). NPZ, MAT (level 5 or 7.3) and HDF5: axis vectors and a ' +
        "solution array over their grid (Raissi's x (n,1), t (m,1), usol (n,m)), or one vector per name; --keys maps names.",
    )
    .argument('<results-dir>', 'a folder written by pde-lab run, e.g. results/heat')
    .requiredOption('--reference <file>', 'reference grid (.csv, .npy, .npz, .mat, .h5)')
    .option(
      '--columns <names>',
      'column names of a .npy file, comma-separated (default: inputs then outputs)',
      (v: string) => v.split(',').map((s) => s.trim()),
    )
    .option(
      '--keys <map>',
      'names in a .npz/.mat/.h5 file: problem=file pairs, e.g. x=x,t=t,u=usol (default: the same names)',
      parseKeys,
    )
    .option('--json', 'print the result as JSON', false)
    .addOption(backendOption())
    .addHelpText(
      'after',
      '\nExamples:\n  pde-lab eval results/burgers --reference data/burgers_shock.csv\n  pde-lab eval results/burgers --reference data/burgers/burgers_shock.mat --keys x=x,t=t,u=usol',
    )
    .action(
      async (
        resultsDir: string,
        opts: {
          reference: string;
          columns?: string[];
          keys?: Record<string, string>;
          json: boolean;
          backend: BackendChoice;
        },
      ) => {
        const r = await evalResults(
          {
            dir: resultsDir,
            reference: opts.reference,
            columns: opts.columns,
            keys: opts.keys,
            backend: opts.backend,
            log: deps.log === null ? () => undefined : deps.log,
          },
          deps.adapter,
        );
        deps.out(opts.json ? JSON.stringify(r) : formatEval(r));
      },
    );

  program
    .command('export')
    .summary('write the trained network for other tools (TensorFlow.js Layers / Keras, or NumPy .npz)')
    .description(
      'Write the trained network of a results folder: --format layers gives model.json + weights.bin for tf.loadLayersModel ' +
        '(to Keras: tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras <out>/model.json net.h5); ' +
        '--format npz gives the weights and input scaling for NumPy. Plain MLP networks only; a trial solution is applied on top.',
    )
    .argument('<results-dir>', 'a folder written by pde-lab run, e.g. results/heat')
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`)
    .option(
      '--out <path>',
      'folder (layers) or .npz file to write (default <results-dir>/export/layers or export/network.npz)',
    )
    .option('--force', 'replace an existing export', false)
    .addOption(backendOption())
    .addHelpText(
      'after',
      '\nExamples:\n  pde-lab export results/heat --format layers\n  pde-lab export results/heat --format npz --out heat.npz',
    )
    .action(
      async (
        resultsDir: string,
        opts: { format: 'layers' | 'npz'; out?: string; force: boolean; backend: BackendChoice },
      ) => {
        const files = await exportResults(
          {
            dir: resultsDir,
            format: opts.format,
            out: opts.out,
            force: opts.force,
            backend: opts.backend,
            log: deps.log === null ? () => undefined : deps.log,
          },
          deps.adapter,
        );
        deps.out(`wrote ${files.join(', ')}`);
      },
    );

  // `pde-lab sweep ...` (from @aml/sweep, wired up in ../sweep.ts by its owner).
  program.addCommand(sweep);
  return program;
}

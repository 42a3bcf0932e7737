/**
 * The `sweep` command both apps expose (`pde-lab sweep ...`, `data-lab sweep ...`): one
 * implementation, configured by the app with its per-run command, seed path and config check.
 *
 *   <app> sweep run  [sweep.json] --base <config> --set a.b=1,2 --seeds 3 [--executor slurm --partition short ...]
 *   <app> sweep status  results/<sweep>
 *   <app> sweep collect results/<sweep> [--metric relL2]
 */
import { Command, Option } from 'commander';
import { collectSweep } from '../collect/collect';
import { formatOverhead } from '../collect/overhead';
import { printDryRun, statusLines } from './status';
import type { RunCommandChoice } from './ts-node';
import type { Executor } from '../executors/executor';
import { localExecutor } from '../executors/local';
import { resolve } from 'node:path';
import { localRunActive } from '../runs/plan';
import { formatSummary, runSweep } from '../runs/run-sweep';
import type { JsonObject } from '../spec/paths';
import { loadSweepFile, makeSweepSpec, readJsonObject, type ResumeConvention, type SweepSpec } from '../spec/spec';
import { parseSetArgument } from '../spec/values';
import { slurmExecutor, slurmRunActive } from '../slurm/executor';
import { parseSlurmOptions, type SlurmOptions } from '../slurm/options';
import { checkResourceRules } from '../slurm/resources';

/** What an app supplies to get its `sweep` command. */
export interface SweepAppOptions {
  /** App name, for help texts (`pde-lab`). */
  readonly app: string;
  /**
   * Per-run command template, run from the working directory; `{config}`, `{out}`, `{id}`, `{seed}` are
   * filled in (see `SweepSpec.command`). Example: `ts-node --swc apps/pde-lab/src/main.ts run --config {config} --out {out}`.
   * A function is asked once per `sweep run`; when it returns `builtCommand`'s choice, the sweep says whether runs
   * start from the built JavaScript or through ts-node (and why).
   */
  readonly command: string | (() => string | RunCommandChoice);
  /** How a preempted run continues from its checkpoint (e.g. `{ args: '--resume', checkpoint: 'checkpoint' }`). */
  readonly resume?: ResumeConvention;
  /** Where the app's configs hold the seed (default `seed`). */
  readonly seedPath?: string;
  /** Default results folder (default `results`). */
  readonly resultsDir?: string;
  /** Turn a `--base` argument into a file path (e.g. an experiment name into the app's `configs/<name>.json`). */
  readonly resolveBase?: (ref: string) => string;
  /** The app's check of one expanded config (its zod schema); throw to reject it. */
  readonly validateConfig?: (config: JsonObject) => void;
  /** Where messages go (default: stdout). */
  readonly print?: (line: string) => void;
}

const collectList = (v: string, prev: string[] = []) => [...prev, v];
/** The app's per-run command, and a line saying how runs start when the app chose between a build and ts-node. */
function appCommand(app: SweepAppOptions): { command: string; note?: string } {
  const c = typeof app.command === 'function' ? app.command() : app.command;
  if (typeof c === 'string') return { command: c };
  return {
    command: c.command,
    note:
      c.via === 'built'
        ? 'runs start from the built JavaScript (npm run build output)'
        : `runs start through ts-node, about 0.7 s more CPU per run than a build: ${c.reason ?? 'no build'}`,
  };
}

/** Exit status of `sweep run` when the sweep is not complete (runs still queued, running or preempted). */
export const EXIT_PARTIAL = 3;
const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer, got "${v}"`);
  return n;
};

/** Options of `sweep run` as commander parses them. */
interface RunFlags {
  base?: string;
  name?: string;
  set?: string[];
  seeds?: number;
  seedList?: string;
  seedPath?: string;
  command?: string;
  runArgs?: string;
  results: string;
  executor: 'local' | 'slurm';
  jobs?: number;
  retryFailed?: boolean;
  dryRun?: boolean;
  follow: boolean;
  collect: boolean;
  partition?: string;
  time?: string;
  mem?: string;
  cpusPerTask?: number;
  gpus?: number;
  gpuType?: string;
  account?: string;
  qos?: string;
  maxParallel?: number;
  maxArraySize?: number;
  setup?: string[];
  sbatch?: string[];
  poll?: string;
  attach?: boolean;
  maxPending?: string;
  requeue: boolean;
  signalSeconds?: number;
}

/** The sweep and executor settings from a sweep file and/or flags (flags win). */
function resolveRun(
  app: SweepAppOptions,
  file: string | undefined,
  f: RunFlags,
): { spec: SweepSpec; slurm: SlurmOptions; jobs?: number; note?: string } {
  const seedPath = f.seedPath ?? app.seedPath ?? 'seed';
  const chosen = f.command ? { command: f.command } : appCommand(app);
  const defaults = {
    seedPath,
    command: `${chosen.command}${f.runArgs ? ` ${f.runArgs}` : ''}`,
    resume: f.command ? undefined : app.resume,
  };
  const fromFlags: SlurmOptions = Object.fromEntries(
    Object.entries({
      partition: f.partition,
      time: f.time,
      mem: f.mem,
      cpusPerTask: f.cpusPerTask,
      gpus: f.gpus,
      gpuType: f.gpuType,
      account: f.account,
      qos: f.qos,
      maxParallel: f.maxParallel,
      maxArraySize: f.maxArraySize,
      setup: f.setup,
      sbatchArgs: f.sbatch,
      pollSeconds: f.poll === undefined ? undefined : Number(f.poll),
      maxPendingSeconds: f.maxPending === undefined ? undefined : Number(f.maxPending),
      requeue: f.requeue === false ? false : undefined,
      signalSeconds: f.signalSeconds,
    }).filter(([, v]) => v !== undefined),
  );
  const seeds =
    f.seedList !== undefined
      ? f.seedList.split(',').map((s) => {
          const n = Number(s);
          if (!Number.isInteger(n)) throw new Error(`--seed-list: "${s}" is not an integer`);
          return n;
        })
      : f.seeds;
  const parameters = (f.set ?? []).map(parseSetArgument);
  if (file) {
    if (f.base) throw new Error('give either a sweep file or --base, not both (the file names its base config)');
    const loaded = loadSweepFile(file, defaults);
    const spec = makeSweepSpec({
      ...loaded.spec,
      name: f.name ?? loaded.spec.name,
      parameters: [...loaded.spec.parameters.filter((p) => !parameters.some((q) => q.path === p.path)), ...parameters],
      seeds: seeds ?? loaded.spec.seeds,
      seedPath: f.seedPath ?? loaded.spec.seedPath,
      command: f.command || f.runArgs ? defaults.command : loaded.spec.command,
      resume: loaded.spec.resume,
    });
    const slurm = parseSlurmOptions({ ...loaded.slurm, ...fromFlags });
    checkResourceRules(spec, slurm);
    const fromFile = spec.command !== defaults.command; // the file's own command, not the app's
    return { spec, slurm, jobs: f.jobs ?? loaded.jobs, note: fromFile ? undefined : chosen.note };
  }
  if (!f.base)
    throw new Error('sweep run: give a sweep file or --base <config> (the experiment every run starts from)');
  const baseFile = resolve(app.resolveBase ? app.resolveBase(f.base) : f.base);
  const base = readJsonObject(baseFile, 'base config');
  const name =
    f.name ??
    baseFile
      .split('/')
      .pop()!
      .replace(/\.json$/, '') + '-sweep';
  const spec = makeSweepSpec({
    name,
    base,
    baseFile,
    parameters,
    seeds,
    seedPath,
    command: defaults.command,
    resume: defaults.resume,
  });
  return { spec, slurm: parseSlurmOptions(fromFlags), jobs: f.jobs, note: chosen.note };
}

/**
 * Build the `sweep` command for an app. The app registers it: `program.addCommand(sweep)`.
 * Actions throw on bad input (before anything is written or submitted); a run with failures sets
 * `process.exitCode = 1`.
 * @example export const sweep = createSweepCommand({ app: 'pde-lab', command: 'ts-node --swc apps/pde-lab/src/main.ts run --config {config} --out {out}' });
 */
export function createSweepCommand(app: SweepAppOptions): Command {
  const print = app.print ?? ((l: string) => console.log(l));
  const sweep = new Command('sweep').description(
    `run an experiment over parameter values and seeds, locally or on Slurm, and collect the results (${app.app})`,
  );

  sweep
    .command('run')
    .description('expand a sweep into runs and execute the ones not finished yet (finished runs are never re-run)')
    .argument('[sweepFile]', 'sweep file (JSON: name, base, parameters, seeds, slurm)')
    .option('--base <config>', 'base experiment config (a file, or a name the app knows)')
    .option('--name <name>', 'sweep name; results go to <results>/<name>/ (default: <base>-sweep)')
    .option(
      '--set <path=values>',
      'parameter to vary, e.g. network.layers=[20,20];[50,50] or training.points=2000,10000 (repeatable)',
      collectList,
    )
    .option('--seeds <n>', 'run every combination with seeds 0..n-1', int('seeds'))
    .option('--seed-list <list>', 'explicit seeds, e.g. 1,7,42')
    .option('--seed-path <path>', `where the seed goes in each config (default ${app.seedPath ?? 'seed'})`)
    .option(
      '--command <template>',
      "per-run command template with {config}, {out}, {id}, {seed} (default: the app's run command)",
    )
    .option(
      '--run-args <args>',
      'extra arguments appended to every run\'s command, e.g. "--backend node-gpu" or "--quick"',
    )
    .option('--results <dir>', 'results folder', app.resultsDir ?? 'results')
    .addOption(new Option('--executor <name>', 'where runs execute').choices(['local', 'slurm']).default('local'))
    .option('--jobs <n>', 'local: runs at once (default: one per core)', int('jobs'))
    .option('--retry-failed', 're-run runs that failed before (their old output is kept as output.attempt<N>.txt)')
    .option('--dry-run', 'validate and print the plan; write and submit nothing')
    .option('--no-follow', 'slurm: submit and return; check later with `sweep status`')
    .option('--no-collect', 'skip writing table.csv/table.json/report.html after the runs')
    .option('--partition <name>', 'slurm: partition')
    .option('--time <limit>', 'slurm: time limit per run, e.g. 01:00:00')
    .option('--mem <size>', 'slurm: memory per run, e.g. 4G')
    .option('--cpus-per-task <n>', 'slurm: cores per run', int('cpus-per-task'))
    .option('--gpus <n>', 'slurm: GPUs per run (--gres=gpu:N; use with tfjs-node-gpu)', int('gpus'))
    .option('--gpu-type <type>', 'slurm: GPU type in --gres, e.g. a100')
    .option('--account <name>', 'slurm: account to charge')
    .option('--qos <name>', 'slurm: quality of service')
    .option('--max-parallel <n>', 'slurm: at most n runs at once (--array=...%n)', int('max-parallel'))
    .option(
      '--max-array-size <n>',
      'slurm: most runs per job array (default 1000; larger sweeps submit several arrays)',
      int('max-array-size'),
    )
    .option(
      '--setup <line>',
      'slurm: shell line before each run, e.g. "module load nodejs/20" (repeatable)',
      collectList,
    )
    .option('--sbatch <option>', 'slurm: extra sbatch option, e.g. --constraint=skylake (repeatable)', collectList)
    .option('--poll <seconds>', 'slurm: seconds between squeue polls (default 5)')
    .option(
      '--max-pending <seconds>',
      'slurm: fail runs still pending after this long while none of the sweep runs (reasons that never clear fail at once)',
    )
    .option('--no-requeue', 'slurm: do not submit requeueable tasks with a checkpoint signal before the time limit')
    .option(
      '--signal-seconds <n>',
      'slurm: seconds before the time limit at which a run checkpoints and requeues itself (default 120)',
      int('signal-seconds'),
    )
    .option('--attach', 'submit nothing: wait for the runs earlier invocations started, then collect')
    .action(async (file: string | undefined, f: RunFlags) => {
      const { spec, slurm, jobs, note } = resolveRun(app, file, f);
      if (note && !f.attach && !f.dryRun) print(note); // a dry run says it after its plan
      const slurmEx = slurmExecutor({ slurm, follow: f.follow });
      const local = localExecutor({ jobs });
      const executor: Executor = f.executor === 'slurm' ? slurmEx : local;
      let n = 0; // runs ended so far
      const summary = await runSweep({
        spec,
        resultsDir: f.results,
        executor,
        followers: [slurmEx, local],
        followActive: f.follow,
        attachOnly: f.attach,
        retryFailed: f.retryFailed,
        dryRun: f.dryRun,
        validateConfig: app.validateConfig,
        isActive: (s) => localRunActive(s) || slurmRunActive(s),
        onEvent: (e) => {
          if (/^(done|failed|COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL)/.test(e.state)) n++;
          print(
            `[${n} ended] ${e.id} ${e.label}: ${e.state}${e.exitCode !== undefined && e.exitCode !== 0 ? ` (exit code ${e.exitCode ?? 'none'})` : ''}`,
          );
        },
      });
      if (f.dryRun) {
        printDryRun(print, spec, summary);
        if (note) print(note);
        return;
      }
      print(formatSummary(summary));
      if (f.collect) {
        const c = collectSweep(summary.dir);
        print(`table: ${c.files.csv}\nreport: ${c.files.report}`);
        if (c.complete && c.best && c.metric)
          print(`best: ${c.best.id} (${c.metric.name} = ${c.best.metrics[c.metric.name]})`);
        if (!c.complete)
          print(`no best run: ${c.unfinished} of ${c.rows.length} runs have not finished (files marked .partial)`);
        if (c.overhead) print(formatOverhead(c.overhead));
      }
      // Partial wins over failed: a table missing runs must not pass for a finished sweep.
      if (!summary.complete) process.exitCode = EXIT_PARTIAL;
      else if (summary.failed.length > 0) process.exitCode = 1;
    });

  sweep
    .command('status')
    .description(
      'list every run of a sweep with its state, exit code, Slurm pending reason and the invocation that submitted it',
    )
    .argument('<sweepDir>', 'the sweep folder, results/<sweep>')
    .action(async (dir: string) => {
      for (const line of await statusLines(dir)) print(line);
    });

  sweep
    .command('collect')
    .description('write table.csv, table.json and report.html (error vs each parameter, spread over seeds, best run)')
    .argument('<sweepDir>', 'the sweep folder, results/<sweep>')
    .option('--metric <name>', 'metric to rank runs by (default: the first error-like metric, e.g. relL2)')
    .option('--maximize', 'larger is better (default: guessed from the name, e.g. accuracy)')
    .action((dir: string, o: { metric?: string; maximize?: boolean }) => {
      const c = collectSweep(dir, { metric: o.metric, maximize: o.maximize });
      print(
        `${c.rows.length} runs${c.complete ? '' : ` (PARTIAL: ${c.unfinished} not finished; no best run)`}\ntable: ${c.files.csv}\ntable: ${c.files.json}\nreport: ${c.files.report}`,
      );
      if (c.overhead) print(formatOverhead(c.overhead));
      if (!c.complete) process.exitCode = EXIT_PARTIAL;
      if (c.complete && c.best && c.metric)
        print(
          `best: ${c.best.id} ${JSON.stringify(c.best.values)} seed=${c.best.seed} ${c.metric.name}=${c.best.metrics[c.metric.name]}`,
        );
    });
  return sweep;
}

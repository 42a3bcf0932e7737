import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { analyze } from '../analyze/analyze';
import { explore } from '../explore/explore';
import { predict } from '../predict/predict';

/** What the program prints results to (stdout in main, an array in tests). */
export interface ProgramIo {
  readonly out: (line: string) => void;
}

/** The package's version: package.json sits two folders above this file in the source (src/cli) and the build (dist/cli). */
export function dataLabVersion(): string {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The `data-lab` command line: analyze, predict, explore (and sweep, registered by main from `sweep.ts`).
 * Options arrive as strings and are validated by zod in each command, so a bad value names its flag.
 */
export function buildProgram(io: ProgramIo, extra: readonly Command[] = []): Command {
  const program = new Command('data-lab')
    .description(
      'From a CSV of measurements to cross-validated models and an offline HTML report, without writing code.',
    )
    .version(dataLabVersion(), '-V, --version', 'print the data-lab version')
    .showHelpAfterError();

  program
    .command('analyze [file]')
    .description(
      'profile the data, infer the task, cross-validate a linear/logistic baseline and an MLP, write results/<name>/',
    )
    .option('--target <column>', 'column to predict')
    .option('--task <task>', 'classification | regression | forecast (default: inferred from the target)')
    .option('--time <column>', 'time column (forecast: rows are ordered by it)')
    .option('--folds <k>', 'cross-validation folds (default 5)')
    .option('--seed <n>', 'seed of folds, initialisation and batches (default 0)')
    .option('--name <name>', 'results folder name (default: the file name)')
    .option('--results <dir>', "parent folder of results (default 'results')")
    .option('--out <dir>', 'exact results folder (overrides --results/--name)')
    .option('--config <file>', 'analysis config (JSON); flags override it')
    .option('--force', 'overwrite an existing results folder')
    .option('--epochs <n>', 'training epochs (default 100)')
    .option('--batch-size <n>', 'mini-batch size (default 64)')
    .option('--lr <rate>', 'Adam learning rate (default 0.01)')
    .option('--hidden <widths>', 'MLP hidden widths, e.g. 32,32 (default)')
    .option('--impute <how>', 'missing numbers: median (default) | mean | drop')
    .option('--scale <how>', 'standard (default) | minmax | none')
    .option('--drop <columns>', 'comma-separated columns to leave out')
    .option('--window <n>', 'forecast: past steps per input window')
    .option('--quick', 'tiny run (at most 5 epochs) for smoke tests')
    .option('--png', 'also save report.png (needs headless Chromium)')
    .option('--quiet', 'no progress bar or log on stderr')
    .option('--backend <name>', 'auto | wasm | cpu | node | node-gpu (default: AML_BACKEND or auto)')
    .option('--types <col=type,...>', 'force column types, e.g. zip=string,batch=string (number | string | date)')
    .option('--allow-nonfinite', 'keep infinite cells (inf, 1e400) instead of stopping at the first one')
    .option(
      '--max-train-rows <n>',
      'most rows a gradient-trained model fits on; above it a seeded subsample (default 50000, --quick 5000)',
    )
    .option('--resume', 'continue an interrupted run in its results folder from the last finished fit')
    .action(async (file: string | undefined, opts: Record<string, unknown>) => {
      const r = await analyze(file, opts);
      io.out(
        `${r.task}: ${Object.entries(r.scores)
          .map(([m, v]) => `${m} ${r.primary} ${v.toFixed(4)}`)
          .join(', ')}; best ${r.best}; ${r.seconds.toFixed(1)} s -> ${r.dir}`,
      );
    });

  program
    .command('predict <model-dir> <file>')
    .description('apply a saved model (with its preprocessing) to new rows; writes a CSV with predictions')
    .option('--output <file>', 'output CSV (default: <results>/predictions-<file>.csv)')
    .option('--model <name>', 'saved model to use (default: the best in cross-validation)')
    .option('--force', 'overwrite an existing output file')
    .option('--quiet', 'no message on stderr')
    .option('--backend <name>', 'tfjs backend')
    .option('--types <col=type,...>', 'force column types of the new rows, e.g. zip=string')
    .option('--allow-nonfinite', 'keep infinite cells instead of stopping at the first one')
    .action(async (modelDir: string, file: string, opts: Record<string, unknown>) => {
      const r = await predict(modelDir, file, opts);
      io.out(`${r.rows} rows predicted by ${r.model} -> ${r.output}`);
    });

  program
    .command('explore <file>')
    .description('PCA and autoencoder embeddings in 2D, explained variance, reconstruction errors')
    .option('--color <column>', 'column to colour points by (left out of the embedding)')
    .option('--name <name>', 'results folder name (default: <file>-explore)')
    .option('--results <dir>', "parent folder of results (default 'results')")
    .option('--out <dir>', 'exact results folder')
    .option('--force', 'overwrite an existing results folder')
    .option('--seed <n>', 'seed (default 0)')
    .option('--epochs <n>', 'autoencoder epochs (default 200)')
    .option('--drop <columns>', 'comma-separated columns to leave out')
    .option('--quick', 'tiny run (at most 5 epochs)')
    .option('--png', 'also save report.png (needs headless Chromium)')
    .option('--quiet', 'no progress bar or log on stderr')
    .option('--backend <name>', 'tfjs backend')
    .option('--types <col=type,...>', 'force column types, e.g. zip=string')
    .option('--allow-nonfinite', 'keep infinite cells instead of stopping at the first one')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const r = await explore(file, opts);
      io.out(
        `explained variance (2 PCs) ${r.explained2.toFixed(3)}; reconstruction MSE PCA ${r.reconstructionError.pca2.toFixed(4)}, autoencoder ${r.reconstructionError.autoencoder2.toFixed(4)} -> ${r.dir}`,
      );
    });

  for (const c of extra) program.addCommand(c);
  return program;
}

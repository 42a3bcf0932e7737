import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson } from '@aml/data';
import { Report } from '@aml/plot';
import { InterruptedError, writeJson } from '@aml/core/node';
import {
  AnalysisConfigSchema,
  type AnalyzeOptions,
  AnalyzeOptionsSchema,
  configToOptions,
  parseOptions,
} from '../cli/options';
import { defaultName, readTable, startBackend } from '../cli/io';
import { maybePng } from '../cli/png';
import { settingsFrom } from '../cli/settings';
import { runForecast } from '../forecast/forecast';
import type { SupervisedTask } from '../models/model';
import { MODELS } from '../models/registry';
import { saveModels } from '../models/store';
import { Checkpoint } from '../run/checkpoint';
import { RunContext } from '../run/context';
import { checkRunDir, openRunDir, runDir, runStatus } from '../run/folder';
import { crossValidate, type CvConfig, fitFinal } from './cv';
import { modalHypers } from './nested';
import { selectionSections, selectionSummary } from './report-selection';
import { type AnalyzePlan, preflight } from './preflight';
import { cvSections, profileSection } from './report';

/** What `analyze` returns (and prints as a summary). */
export interface AnalyzeSummary {
  readonly dir: string;
  readonly task: string;
  readonly best: string;
  /** Mean cross-validated score of each model on the primary metric. */
  readonly scores: Record<string, number>;
  readonly primary: string;
  readonly seconds: number;
}

/**
 * `data-lab analyze <file> --target <col>`: profile, infer the task, cross-validate the baseline and the MLP,
 * fit them on all rows, and write results/<name>/ (config.json, metrics.json, report.html, model/, log.txt,
 * checkpoint/). Every check runs before the first file is written; a run that fails removes what it wrote;
 * SIGINT/SIGTERM save the state and throw InterruptedError (metrics.json status 'interrupted'), and
 * `--resume` continues from the last finished fit to the same results as an uninterrupted run.
 */
export async function analyze(fileArg: string | undefined, raw: Record<string, unknown>): Promise<AnalyzeSummary> {
  const { file, options } = resolveConfig(fileArg, raw);
  const o = parseOptions(AnalyzeOptionsSchema, options, 'analyze');
  if (o.resume && o.force) throw new Error('--resume continues a run and --force starts it over: pass one of them');
  const t0 = performance.now();
  const dir = runDir(o, defaultName(file));
  if (o.resume) checkResumable(dir);
  else checkRunDir(dir, o.force);
  const source = await readTable(file, { target: o.target, types: o.types, allowNonfinite: o.allowNonfinite });
  const plan = preflight(source, o);
  const backend = await startBackend(o.backend, true);
  const identity = identityOf(file, o, backend.name);
  const checkpoint = o.resume ? Checkpoint.resume(dir, identity) : Checkpoint.start(dir, identity);
  // Nothing was written before this line.
  const ownConfig = o.config !== undefined && path.resolve(o.config) === path.resolve(dir, 'config.json');
  const opened = o.resume ? null : openRunDir(dir, o.force, ownConfig ? [path.join(dir, 'config.json')] : []);
  const run = new RunContext(dir, o.quiet, o.resume);
  try {
    return await execute(file, o, plan, { dir, run, ownConfig, t0, backend: backend.name, checkpoint });
  } catch (e) {
    if (e instanceof InterruptedError) throw interrupted(e, resumeCommand(file, raw), dir, run);
    run.close();
    opened?.discard(); // a failed run leaves nothing behind (a resumed one keeps its checkpoint)
    throw e;
  } finally {
    run.close();
  }
}

/** Where and how a run writes. */
interface RunPlace {
  readonly dir: string;
  readonly run: RunContext;
  /** The --config file is the folder's config.json (a sweep's run): write resolved-config.json beside it. */
  readonly ownConfig: boolean;
  readonly t0: number;
  readonly backend: string;
  readonly checkpoint: Checkpoint;
}

async function execute(file: string, o: AnalyzeOptions, plan: AnalyzePlan, place: RunPlace): Promise<AnalyzeSummary> {
  const { dir, run, ownConfig, t0, checkpoint } = place;
  const backend = { name: place.backend };
  run.log(
    `data-lab analyze ${file}${o.resume ? ' (resumed)' : ''}: ${plan.supervised?.table.nRows ?? plan.forecast!.series.values.length} rows; backend ${backend.name}`,
  );
  run.log(plan.reason);
  for (const n of plan.notes) run.log(n);
  const config = { command: 'analyze', file: path.resolve(file), ...o, task: plan.task, backend: backend.name };
  writeJson(path.join(dir, ownConfig ? 'resolved-config.json' : 'config.json'), config);
  if (plan.forecast) {
    if (o.resume) run.log(`resuming: ${checkpoint.finished} fits already done`);
    const r = await runForecast(plan.forecast, o, dir, run, checkpoint);
    fs.rmSync(path.join(dir, 'checkpoint'), { recursive: true, force: true }); // done: the checkpoint has served
    maybePng(dir, o.png, run.log);
    return { ...r, seconds: (performance.now() - t0) / 1000 };
  }
  const { table, dropped, profile, features } = plan.supervised!;
  const task = plan.task as SupervisedTask;
  const settings = settingsFrom(o);
  const models = MODELS.filter((m) => m.tasks.includes(task));
  const maxTrainRows = o.quick ? Math.min(o.maxTrainRows, 5000) : o.maxTrainRows;
  const nFit = Math.min(Math.ceil(table.nRows * (1 - 1 / o.folds)), maxTrainRows);
  if (Math.ceil(table.nRows * (1 - 1 / o.folds)) > maxTrainRows) {
    run.log(
      `gradient-trained models fit on a seeded subsample of ${maxTrainRows} training rows per fit (--max-train-rows); every validation row is scored`,
    );
  }
  if (o.resume) run.log(`resuming: ${checkpoint!.finished} fits already done`);
  const perFit = (m: (typeof models)[number], n: number) => m.steps(n, settings, task);
  const total = models.reduce(
    (s, m) => s + perFit(m, nFit) * o.folds + perFit(m, Math.min(table.nRows, maxTrainRows)),
    0,
  );
  const done = checkpoint!.done;
  const start = models.reduce(
    (s, m) =>
      s +
      perFit(m, nFit) * done.folds.filter((k) => k === m.name).length +
      (done.final.includes(m.name) ? perFit(m, Math.min(table.nRows, maxTrainRows)) : 0),
    0,
  );
  run.startProgress(total, start);
  const cvConfig: CvConfig = {
    table,
    target: o.target,
    features,
    task,
    folds: o.folds,
    seed: o.seed,
    maxTrainRows,
    checkpoint,
    prep: { impute: o.impute === 'drop' ? 'median' : o.impute, scale: o.scale },
    settings: { ...settings, onStep: run.onStep, poll: run.poll },
    models,
    log: run.log,
    inner: 2, // nested CV: hyperparameters and model chosen by 2 inner folds of each outer training fold
  };
  let cv;
  let final;
  try {
    cv = await crossValidate(cvConfig);
    run.checkpoint();
    final = await fitFinal(cvConfig, modalHypers(cv.folds)); // each model at the grid point its folds chose most
  } finally {
    run.stopProgress();
  }
  const primary = task === 'classification' ? 'accuracy' : 'r2';
  const scores = Object.fromEntries(models.map((m) => [m.name, cv.summary[m.name][primary].mean]));
  const best = models.reduce((b, m) => (scores[m.name] > scores[b.name] ? m : b)).name;
  saveModels(path.join(dir, 'model'), {
    version: 1,
    task,
    target: o.target,
    features,
    best,
    preprocessor: final.preprocessor,
    encoding: final.target,
    models: final.models,
  });
  const report = new Report(`data-lab: ${path.basename(file)} -> ${o.target}`);
  report.text(
    `Task: ${task}. Features: ${features.join(', ')}. ${o.folds}-fold ${task === 'classification' ? 'stratified ' : ''}cross-validation, seed ${o.seed}, backend ${backend.name}. ` +
      `Preprocessing (${o.impute} imputation, ${o.scale} scaling, one-hot text columns) is fitted on each fold's training rows only.`,
  );
  profileSection(report, profile);
  cvSections(report, cv, models, task, best);
  selectionSections(report, cv, models, task, best, final.preprocessor.outputs);
  const seconds = (performance.now() - t0) / 1000;
  report.section('Run').metrics({
    wallSeconds: seconds,
    backend: backend.name,
    epochs: settings.epochs,
    hidden: settings.hidden.join('x'),
  });
  report.write(dir);
  maybePng(dir, o.png, run.log);
  // metrics.json last: its status 'completed' means every other file is in place.
  writeJson(path.join(dir, 'metrics.json'), {
    status: 'completed',
    task,
    target: o.target,
    rows: table.nRows,
    droppedRows: dropped,
    features,
    folds: o.folds,
    seed: o.seed,
    backend: backend.name,
    classes: cv.classes,
    primary,
    best,
    models: cv.summary,
    modelSeconds: cv.seconds,
    modelCpuSeconds: cv.cpuSeconds,
    maxTrainRows,
    perFold: cv.folds.map((f) => ({
      train: f.train,
      val: f.val,
      ...Object.fromEntries(
        Object.entries(f.models).map(([k, v]) => [
          k,
          { ...v.scores, seconds: v.seconds, cpuSeconds: v.cpuSeconds, hyperparameters: v.tuning?.hp },
        ]),
      ),
    })),
    selection: selectionSummary(
      cv,
      models.map((m) => m.name),
      primary,
      best,
    ),
    finalHyperparameters: modalHypers(cv.folds),
    wallSeconds: seconds,
  });
  fs.rmSync(path.join(dir, 'checkpoint'), { recursive: true, force: true }); // done: the checkpoint has served
  run.log(
    `${models.map((m) => `${m.name} ${primary} ${scores[m.name].toFixed(4)}`).join(', ')}; best ${best}; ${seconds.toFixed(1)} s; wrote ${dir}`,
  );
  return { dir, task, best, scores, primary, seconds };
}

/** What a resumed run must share with the interrupted one: every option that changes results, and the data file. */
function identityOf(file: string, o: AnalyzeOptions, backend: string): Record<string, unknown> {
  const st = fs.statSync(file);
  const { quiet: _q, force: _f, resume: _r, png: _p, config: _c, results: _res, name: _n, out: _o, ...rest } = o;
  return { file: path.resolve(file), bytes: st.size, modified: st.mtimeMs, backend, ...rest };
}

/** `--resume` needs a folder whose run was interrupted (not one that completed, not an empty one). */
function checkResumable(dir: string): void {
  const status = runStatus(dir);
  if (status === 'completed')
    throw new Error(`--resume: the run in ${dir} already completed; nothing to resume (use --force to run it again)`);
  if (!fs.existsSync(path.join(dir, 'checkpoint', 'state.json'))) {
    throw new Error(
      `--resume: ${dir} holds no interrupted run (no checkpoint/state.json); run without --resume to start one`,
    );
  }
}

/** Record an interrupted run (metrics.json status 'interrupted') and say how to resume it. */
function interrupted(e: InterruptedError, resume: string, dir: string, run: RunContext): InterruptedError {
  writeJson(path.join(dir, 'metrics.json'), { status: 'interrupted', signal: e.signal, resume });
  run.log(`interrupted by ${e.signal}; the finished folds are saved in ${path.join(dir, 'checkpoint')}`);
  return new InterruptedError(
    e.signal,
    `interrupted by ${e.signal}; finished fits are saved in ${dir}; continue with: ${resume}`,
  );
}

/** The command line that continues this run. */
export function resumeCommand(file: string, raw: Record<string, unknown>): string {
  const quote = (s: string) => (/^[\w./:=,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const flags = Object.entries(raw)
    .filter(([k, v]) => v !== undefined && v !== false && k !== 'force' && k !== 'resume')
    .map(
      ([k, v]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${v === true ? '' : ` ${quote(String(v))}`}`,
    );
  return ['data-lab', 'analyze', quote(file), ...flags, '--resume'].join(' ');
}

/** Merge a --config file under the command-line flags; the data file comes from the argument or the config. */
export function resolveConfig(
  fileArg: string | undefined,
  raw: Record<string, unknown>,
): { file: string; options: Record<string, unknown> } {
  const flags = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  if (typeof flags.config !== 'string') {
    if (!fileArg)
      throw new Error(
        'analyze: give a data file (data-lab analyze <file> --target <column>) or --config <analysis.json>',
      );
    return { file: fileArg, options: flags };
  }
  const cfg = readJson(flags.config, AnalysisConfigSchema);
  let file = fileArg ?? cfg.data;
  if (!fileArg && !fs.existsSync(file)) {
    const beside = path.resolve(path.dirname(flags.config), cfg.data);
    if (fs.existsSync(beside)) file = beside;
  }
  return { file, options: { ...configToOptions(cfg), ...flags } };
}

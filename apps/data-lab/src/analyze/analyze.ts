import * as path from 'node:path';
import { dropMissingRows, Table } from '@aml/data';
import { Report } from '@aml/plot';
import * as fs from 'node:fs';
import { AnalysisConfigSchema, AnalyzeOptionsSchema, configToOptions, parseOptions } from '../cli/options';
import { readJson } from '@aml/data';
import { defaultName, listOption, readTable, startBackend } from '../cli/io';
import { maybePng } from '../cli/png';
import { createProgress } from '../cli/progress';
import { prepareOutDir, prepareResults, RunLog, writeJsonFile } from '../cli/results';
import { runForecast } from '../forecast/forecast';
import { SupervisedTask } from '../models/model';
import { settingsFrom } from '../cli/settings';
import { MODELS } from '../models/registry';
import { inferTask, profileTable } from '../profile/profile';
import { crossValidate, CvConfig, fitFinal } from './cv';
import { chooseFeatures } from './features';
import { cvSections, profileSection } from './report';
import { rowsWithTarget } from './target';

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
 * fit them on all rows, and write results/<name>/ (config.json, metrics.json, report.html, model/, log.txt).
 */
export async function analyze(fileArg: string | undefined, raw: Record<string, unknown>): Promise<AnalyzeSummary> {
  const { file, options } = resolveConfig(fileArg, raw);
  const o = parseOptions(AnalyzeOptionsSchema, options, 'analyze');
  const t0 = performance.now();
  const source = readTable(file, { target: o.target });
  // Fail on a taken results folder before any work, but only after the file proved readable.
  const dir = o.out ? prepareOutDir(o.out, o.force) : prepareResults(o.results, o.name ?? defaultName(file), o.force);
  const run = new RunLog(o.quiet);
  const backend = await startBackend(o.backend, true);
  run.log(`data-lab analyze ${file}: ${source.nRows} rows, ${source.columns.length} columns; backend ${backend.name}`);
  const task = o.task ?? (o.time ? 'forecast' : inferTask(source, o.target).task);
  run.log(o.task ? `task ${task} (--task)` : o.time ? 'task forecast (--time given)' : `task ${task}: ${inferTask(source, o.target).reason}`);
  const config = { command: 'analyze', file: path.resolve(file), ...o, task, backend: backend.name };
  // A sweep's run folder holds the sweep's config.json: keep it, and write the resolved options beside it.
  const own = o.config && path.resolve(o.config) === path.resolve(dir, 'config.json');
  writeJsonFile(path.join(dir, own ? 'resolved-config.json' : 'config.json'), config);
  if (task === 'forecast') {
    const r = await runForecast(source, o, dir, run);
    maybePng(dir, o.png, run.log);
    run.write(dir);
    return { ...r, seconds: (performance.now() - t0) / 1000 };
  }
  let { table, dropped } = rowsWithTarget(source, o.target);
  if (dropped > 0) run.log(`${dropped} rows without a target value left out`);
  const profile = profileTable(table);
  const features = chooseFeatures(table, profile, o.target, [...listOption(o.drop), ...(o.time ? [o.time] : [])], run.log);
  if (o.impute === 'drop') table = dropRows(table, features, run.log);
  const settings = settingsFrom(o);
  const models = MODELS.filter((m) => m.tasks.includes(task));
  const nFit = Math.ceil(table.nRows * (1 - 1 / o.folds));
  const total = models.reduce((s, m) => s + m.steps(nFit, settings, task as SupervisedTask) * o.folds + m.steps(table.nRows, settings, task as SupervisedTask), 0);
  const bar = createProgress(total, o.quiet);
  const cvConfig: CvConfig = {
    table, target: o.target, features, task: task as SupervisedTask, folds: o.folds, seed: o.seed,
    prep: { impute: o.impute === 'drop' ? 'median' : o.impute, scale: o.scale }, settings: { ...settings, onStep: bar.tick }, models, log: run.log,
  };
  let cv;
  let final;
  try {
    cv = await crossValidate(cvConfig);
    final = await fitFinal(cvConfig);
  } finally {
    bar.stop();
  }
  const primary = task === 'classification' ? 'accuracy' : 'r2';
  const scores = Object.fromEntries(models.map((m) => [m.name, cv.summary[m.name][primary].mean]));
  const best = models.reduce((b, m) => (scores[m.name] > scores[b.name] ? m : b)).name;
  const seconds = (performance.now() - t0) / 1000;
  writeJsonFile(path.join(dir, 'metrics.json'), {
    task, target: o.target, rows: table.nRows, droppedRows: dropped, features, folds: o.folds, seed: o.seed, backend: backend.name,
    classes: cv.classes, primary, best, models: cv.summary, modelSeconds: cv.seconds,
    perFold: cv.folds.map((f) => ({ train: f.train, val: f.val, ...Object.fromEntries(Object.entries(f.models).map(([k, v]) => [k, { ...v.scores, seconds: v.seconds }])) })),
    wallSeconds: seconds,
  });
  writeJsonFile(path.join(dir, 'model', 'model.json'), {
    version: 1, task, target: o.target, features, best, preprocessor: final.preprocessor, encoding: final.target, models: final.models,
  });
  const report = new Report(`data-lab: ${path.basename(file)} -> ${o.target}`);
  report.text(`Task: ${task}. Features: ${features.join(', ')}. ${o.folds}-fold ${task === 'classification' ? 'stratified ' : ''}cross-validation, seed ${o.seed}, backend ${backend.name}. ` +
    `Preprocessing (${o.impute} imputation, ${o.scale} scaling, one-hot text columns) is fitted on each fold's training rows only.`);
  profileSection(report, profile);
  cvSections(report, cv, models, task as SupervisedTask, best);
  report.section('Run').metrics({ wallSeconds: seconds, backend: backend.name, epochs: settings.epochs, hidden: settings.hidden.join('x') });
  report.write(dir);
  maybePng(dir, o.png, run.log);
  run.log(`${models.map((m) => `${m.name} ${primary} ${scores[m.name].toFixed(4)}`).join(', ')}; best ${best}; ${seconds.toFixed(1)} s; wrote ${dir}`);
  run.write(dir);
  return { dir, task, best, scores, primary, seconds };
}

function dropRows(t: Table, features: string[], log: (l: string) => void): Table {
  const { table, kept } = dropMissingRows(t, features);
  log(`--impute drop: ${t.nRows - kept.length} rows with a missing feature left out`);
  if (table.nRows < 2) throw new Error('--impute drop left fewer than 2 rows; use --impute median');
  return table;
}

/** Merge a --config file under the command-line flags; the data file comes from the argument or the config. */
export function resolveConfig(fileArg: string | undefined, raw: Record<string, unknown>): { file: string; options: Record<string, unknown> } {
  const flags = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  if (typeof flags.config !== 'string') {
    if (!fileArg) throw new Error('data-lab analyze: give a data file (data-lab analyze <file> --target <column>) or --config <analysis.json>');
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

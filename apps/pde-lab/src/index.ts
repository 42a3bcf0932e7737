/**
 * @aml/pde-lab: the differential-equation CLI. Its programmatic surface (used by the bench cases and by
 * anyone scripting runs): run and eval an experiment, the CLI program, the experiment schema, and the
 * adapter contract with its @aml/pinn implementation.
 */
export const PACKAGE_NAME = '@aml/pde-lab';
export { runExperiment, prepareRun, type RunOptions, type RunSummary, type PreparedRun } from './commands/run';
export { evalResults, formatEval, type EvalOptions, type EvalResult } from './commands/eval';
export { buildProgram, type CliDeps } from './cli/program';
export { experimentSchema, type Experiment, type ExperimentInput } from './catalog/schema';
export { loadExperiment, listExperiments, experimentNames, EXPERIMENTS_DIR, ConfigError } from './catalog/catalog';
export type { ProblemAdapter, ParsedProblem, BuiltProblem, TrainOutcome } from './adapter/contract';
export { pinnAdapter } from './adapter/pinn';
export { ResultsExistError } from '@aml/core/node';

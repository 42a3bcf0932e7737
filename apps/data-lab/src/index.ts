/** @aml/data-lab: the data-lab CLI's commands, usable from code too. Public surface of the package. */
export { analyze, resolveConfig } from './analyze/analyze';
export type { AnalyzeSummary } from './analyze/analyze';
export { explore } from './explore/explore';
export { predict, ModelFileSchema } from './predict/predict';
export { buildProgram } from './cli/program';
export { AnalyzeOptionsSchema, AnalysisConfigSchema, ExploreOptionsSchema, PredictOptionsSchema } from './cli/options';
export { MODELS, FORECAST_MODELS, LINEAR, MLP, LSTM, NAIVE } from './models/registry';
export type { ModelSpec, TabularModel, SavedModel, TrainSettings, FitData, LearningCurve } from './models/model';
export { inferTask, profileTable } from './profile/profile';
export { pcaSummary } from './explore/pca';

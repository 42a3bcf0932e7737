/** @aml/pinn: Differential equations. Public surface of the package.
 *
 * @module @aml/pinn
 */
export const PACKAGE_NAME = '@aml/pinn';
export * from './derivatives/engine';
export * from './derivatives/mlp';
export * from './derivatives/taylor';
export * from './derivatives/nested';
export { autoEngine, chooseEngine, type AutoEngineOptions, type EngineChoice } from './derivatives/choose';
export { jetOps, planJets, inputJet, jetComponent, type Jet, type JetPlan } from './derivatives/jets';
export {
  closeRequests,
  setPartitions,
  faaTerms,
  leibnizTerms,
  type FaaTerm,
  type LeibnizTerm,
} from './derivatives/multi-index';
export {
  createNetwork,
  checkNetworkSpec,
  networkLabel,
  NETWORK_KINDS,
  type NetworkKind,
  type NetworkSpec,
  type NetworkShape,
} from './networks/create';
export { createMlpNetwork, mlpNetwork, asNetwork, mlpView, isMlpParams, type MlpNetwork } from './networks/mlp';
export { createDense, applyDense, glorotDraws, type DenseLayer, type FactorizedSpec } from './networks/factorized';
export { createFourier, fourierEmbedding, type FourierSpec } from './networks/fourier';
export { periodicEmbedding, periodicWidth, type PeriodicAxis } from './networks/periodic';
export {
  gate,
  equalWidths,
  createModifiedMlp,
  modifiedMlpForward,
  type ModifiedMlpBody,
} from './networks/modified-mlp';
export { createPirate, pirateForward, pirateFeatures, type PirateBody, type PirateBlock } from './networks/pirate';
export { fitOutputLayer, leastSquares, type PirateNetwork } from './networks/pi-init';
export { initPirateFromInitialCondition, type PirateInitOptions } from './solver/pirate-init';
export { float64Ops, forward64 as networkForward64, fdMulti, fdStep, type Mat64 } from './networks/testing';
export { networkSchema, networkSpecFromConfig, type NetworkConfigEntry } from './config/network-schema';
export * from './sampling/samplers';
export * from './geometry/index';
export * from './problems/expression';
export * from './problems/algebras';
export * from './problems/symbols';
export * from './problems/problem';
export * from './conditions/index';
export * from './constraints/constraint';
export * from './weighting/weighting';
export * from './solver/fields';
export * from './solver/config';
export * from './solver/model';
export * from './solver/loss';
export * from './solver/refine';
export * from './solver/solve';
export * from './training/causal';
export * from './training/gradients';
export * from './training/resample';
export * from './training/marching';
export * from './training/session';
export * from './sampling/rad';
export * from './classical/index';
export * from './observations/index';
export * from './errors/errors';
export { boxGrid, evaluationGrid, linspace, plotGrid, slicePoints } from './evaluation/grid';
export type { Box, EvalGrid } from './evaluation/grid';
export {
  readReferenceGrid,
  readReferenceGridSync,
  matchColumns,
  gridPoints,
  type ReferenceGrid,
  type ReferenceGridOptions,
} from './reference-grid/reference-grid';
export { gridFromArrays } from './reference-grid/from-arrays';
export { mlpToNpz, writeMlpNpz, NUMPY_FORWARD } from './export/npz-weights';
export { mlpDenseLayers, mlpToLayers, writeMlpLayers } from './export/layers';
export * from './config/schema';
export * from './config/build';
export * from './fused/index';

/**
 * @aml/core: TensorFlow.js as a dependable research engine.
 * The package's whole public surface is exported here.
 *
 * @module @aml/core
 */
export { tf } from './tf';
export type { Tensor, Scalar, Tensor1D, Tensor2D, Variable } from './tf';
export * from './backend/backend';
export { fixesFor } from './backend/fixes/registry';
export { checkNodeGpu, NODE_GPU_NEEDS } from './backend/gpu';
export type { GpuCheck, NativeBackendLike } from './backend/gpu';
export { linkWasmModule, registerWasmKernel, isWasmHeapBackend, heapOffset } from './backend/wasm-module';
export type { EmbeddedWasmModule, WasmHeapBackend, WasmKernelArgs, WasmMemory } from './backend/wasm-module';
export * from './random/rng';
export * from './testing/leaks';
export * from './activations/activations';
export { defineNetwork, tensorOps, networkVariables, checkNetwork } from './network/network';
export type { Network, NetOps, NetworkDefinition } from './network/network';
export { expSafe, sigmoidSafe, tanhSafe, softplusSafe, normalCdfSafe, normalPdf } from './activations/safe';
export * from './autodiff/inputDerivatives';
export * from './numerics/ode';
export * from './optim/optimizer';
export * from './optim/slot-optimizer';
export * from './optim/parse-config';
export {
  check,
  describeValue,
  finiteNumber,
  halfOpenUnit,
  intAtLeast,
  learningRate,
  nonNegativeInt,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  probability,
  seed,
} from './validation/atoms';
export type { Atom } from './validation/atoms';
export * from './optim/adam';
export * from './optim/adamw';
export * from './optim/sgd';
export * from './optim/momentum';
export * from './optim/adagrad';
export * from './optim/rmsprop';
export * from './optim/create';
export * from './optim/clip';
export * from './optim/lbfgs/lbfgs';
export * from './optim/lbfgs/minimize';
export * from './optim/lbfgs/line-search';
export * from './optim/lbfgs/memory';
export * from './optim/lbfgs/flat';
export * from './schedules/schedules';
export * from './init/initializers';
export * from './train/types';
export * from './train/callback';
export * from './train/config';
export * from './train/step';
export * from './train/train';
export * from './train/batches';
export * from './train/nan-guard';
export * from './train/progress';
export * from './train/callbacks/early-stopping';
export * from './train/callbacks/logging';
export * from './checkpoint/format';
export {
  denseLayersToArtifacts,
  denseLayersFromModel,
  kerasActivation,
  projectActivation,
} from './checkpoint/layers-format';
export type { DenseLayerData } from './checkpoint/layers-format';
// Checkpoint files, saved models and log files are Node-only: `@aml/core/node` (src/node.ts).
export { requireNode, isNode } from './platform/node-entry';
export type { CoreNodeEntry } from './platform/node-entry';
export * from './metrics/inputs';
export * from './metrics/classification';
export * from './metrics/regression';

/** The fused WASM derivative kernel: public surface of this folder. */
export { fusedEngine, type FusedEngine, type FusedEngineOptions } from './engine';
export { registerFusedKernels, backendHasFusedKernel, FUSED_KERNEL, FUSED_GRAD_KERNEL } from './op';
export { FUSED_ACTIVATIONS, FUSED_LIMITS, planChannels, type ChannelPlan, type FusedActivation } from './plan';
export {
  loadRuntime,
  loadFusedKernel,
  kernelDir,
  type FusedBuild,
  type FusedNetData,
  type FusedRunOptions,
  type FusedRuntime,
} from './runtime';
// The kernel's float64 oracle (named apart from the classical PDE solvers of ../classical/).
export {
  referenceForward as fusedReferenceForward,
  referenceBackward as fusedReferenceBackward,
  activation64 as fusedActivation64,
  type ReferenceNet as FusedReferenceNet,
} from './reference';

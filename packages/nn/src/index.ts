/** @aml/nn: classic architectures. The package's whole public surface is exported here.
 *
 * @module @aml/nn
 */
export const PACKAGE_NAME = '@aml/nn';

// Layers and feed-forward networks
export * from './layers/layer';
export * from './layers/init';
export * from './layers/activation';
export * from './layers/dense';
export * from './layers/dropout';
export * from './layers/norm';
export * from './layers/sequential';
export * from './losses/losses';
export * from './testing/gradcheck';

// Fused fast paths: a dense stack and softmax cross-entropy as one tfjs operation each (wasm)
export {
  denseStack,
  denseStackSupported,
  FUSED_DENSE_ACTIVATIONS,
  type FusedDenseActivation,
} from './fast/dense-stack';
export { fusedDenseLayers, fusibleActivations } from './fast/dense-layers';
export { softmaxXent, softmaxXentSupported } from './fast/softmax-xent';

// From-scratch teaching references (plain TypeScript, Float64Array, no tfjs)
export * from './scratch/matrix';
export * from './scratch/activations';
export * from './scratch/costs';
export * from './scratch/schedulers';
export * from './scratch/ffnn';
export * from './scratch/conv';
export * from './scratch/rnn';

// Convolutional networks
export * from './conv/size';
export * from './conv/conv';
export * from './conv/pool';
export * from './conv/lenet';

// Recurrent networks
export * from './recurrent/cells';
export * from './recurrent/recurrent';
export * from './recurrent/windows';

// Graph networks
export * from './graph/graph';
export * from './graph/interaction';
export * from './graph/gcn';

// Transformers
export * from './transformer/attention';
export * from './transformer/position';
export * from './transformer/block';
export * from './transformer/encoder';
export * from './transformer/lm';

// Autoencoders and PCA
export * from './autoencoder/autoencoders';
export * from './autoencoder/penalties';
export * from './pca/linalg';
export * from './pca/pca';
export {
  mlpConfigOf,
  assignDenseWeights,
  mlpFromLayersModel,
  loadLayersWeights,
  mlpToLayersArtifacts,
} from './io/layers-model';

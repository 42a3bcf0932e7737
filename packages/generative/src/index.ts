/**
 * @aml/generative: generative models and the Monte Carlo they rest on.
 * Public surface of the package.
 *
 * @module @aml/generative
 */

// Monte Carlo
export * from './montecarlo/metropolis';
export * from './montecarlo/gibbs';
export * from './montecarlo/autocorrelation';
// The 2D Ising Metropolis sampler lives in @aml/data (it is also a data generator); re-exported here.
export {
  sampleIsing,
  isingExact,
  isingEnergyPerSpin,
  isingMagnetisation,
  isingToFloat,
  parseIsingConfig,
} from '@aml/data';
export type { IsingConfig, IsingSamples } from '@aml/data';

// Sample-quality metrics
export * from './metrics/distances';
export * from './metrics/ising-observables';

// Restricted Boltzmann machines
export * from './rbm/rbm';
export * from './rbm/cd';
export * from './rbm/centring';
export * from './rbm/ising-rbm';
export * from './rbm/exact';
export * from './rbm/ais';

// Variational autoencoders
export * from './vae/vae';
export * from './vae/ar-vae';

// Generative adversarial networks
export * from './gan/gan';

// Diffusion (DDPM / DDIM)
export * from './diffusion/schedule';
export * from './diffusion/denoiser';
export * from './diffusion/ddpm';
// Binary data: the own-site logit skip for x0-logit denoisers, and flip-noise (D3PM) diffusion on spins +-1
export * from './diffusion/site-logit';
export * from './diffusion/binary';

// Flows and autoregressive models
export * from './flows/realnvp';
export * from './autoregressive/made';
export * from './autoregressive/conditional-made';

// Energy-based models
export * from './ebm/langevin';
export * from './ebm/ebm';

// Convolutional nets for images (conv VAE, DCGAN, U-Net) and their blocks
export * from './convnets/blocks';
export * from './convnets/group-norm';
export * from './vae/conv-vae';
export * from './vae/iwae';
export * from './gan/dcgan';
export * from './diffusion/unet';
// Periodic (circular) convolutions and the translation-equivariant lattice denoiser (Ising DDPM)
export * from './diffusion/circular';
export * from './diffusion/lattice';
// Parameter averaging (EMA) that diffusion samplers use instead of the last iterate
export * from './diffusion/ema';

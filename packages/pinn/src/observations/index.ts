/** Synthetic observations of a reference solution, for inverse problems. */
export { addRelativeNoise, observeReference, type ObserveOptions, type Observations } from './noisy';

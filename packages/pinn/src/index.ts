/** @aml/pinn: Differential equations. Public surface of the package. */
export const PACKAGE_NAME = '@aml/pinn';
export * from './derivatives/engine';
export * from './derivatives/mlp';
export * from './derivatives/taylor';
export * from './derivatives/nested';
export * from './sampling/samplers';
export * from './geometry/index';

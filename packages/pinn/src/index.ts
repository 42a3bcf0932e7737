/** @aml/pinn: Differential equations. Public surface of the package. */
export const PACKAGE_NAME = '@aml/pinn';
export * from './derivatives/engine';
export * from './derivatives/mlp';
export * from './derivatives/taylor';
export * from './derivatives/nested';
export * from './sampling/samplers';
export * from './geometry/index';
export * from './problems/expression';
export * from './problems/algebras';
export * from './problems/symbols';
export * from './problems/problem';
export * from './conditions/index';
export * from './constraints/constraint';
export * from './solver/fields';
export * from './fused/index';

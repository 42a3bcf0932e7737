/** Conditions: initial, Dirichlet, Neumann, Robin, periodic, observations, any operator. */
export * from './condition';
export * from './value';
export * from './where';
export * from './boundary';
export * from './initial';
export * from './periodic';
export * from './observations';
export * from './operator';

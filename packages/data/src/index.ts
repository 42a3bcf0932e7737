/** @aml/data: Data loading, validation, preparation and generators. Public surface of the package. */
export const PACKAGE_NAME = '@aml/data';
export * from './generators/ising';

/** @aml/sweep: experiment sweeps. Public surface of the package. */
export const PACKAGE_NAME = '@aml/sweep';

/** @aml/pde-lab: pde-lab: differential-equation projects. Public surface of the package. */
export const PACKAGE_NAME = '@aml/pde-lab';

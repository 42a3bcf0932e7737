/** @aml/data-lab: data-lab: a user's own data. Public surface of the package. */
export const PACKAGE_NAME = '@aml/data-lab';

/** @aml/nn: Classic architectures. Public surface of the package. */
export const PACKAGE_NAME = '@aml/nn';

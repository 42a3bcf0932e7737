/** @aml/generative: Generative models. Public surface of the package. */
export const PACKAGE_NAME = '@aml/generative';

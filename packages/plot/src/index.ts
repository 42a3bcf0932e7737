/** @aml/plot: Plots and HTML reports. Public surface of the package. */
export const PACKAGE_NAME = '@aml/plot';

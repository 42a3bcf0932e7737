// The experiments' --quick smoke runs (slow integration tests: part of the full suite, not the quick one).
module.exports = {
  ...require('../jest.preset.js'),
  displayName: '@aml/experiments',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
};

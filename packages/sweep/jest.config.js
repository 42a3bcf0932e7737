module.exports = { ...require('../../jest.preset.js'), displayName: '@aml/sweep' };

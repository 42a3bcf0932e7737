module.exports = { ...require('../../jest.preset.js'), displayName: '@aml/data-lab' };

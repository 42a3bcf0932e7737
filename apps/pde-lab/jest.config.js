module.exports = { ...require('../../jest.preset.js'), displayName: '@aml/pde-lab' };

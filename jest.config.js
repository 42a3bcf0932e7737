// Root jest: every package, app and the experiments project, so `npm test` runs them all in one process pool.
// `npm run test:quick` (AML_TESTS=quick) runs the unit tests only: the slow integration tests (experiment
// smoke runs, CLI end-to-end runs, browser and Slurm tests) are listed in tools/testing/slow-tests.js.
const fs = require('fs');
const path = require('path');
const { slowTests } = require('./tools/testing/slow-tests');

const quick = process.env.AML_TESTS === 'quick';
const roots = [
  ...['packages', 'apps'].flatMap((dir) =>
    fs.readdirSync(path.join(__dirname, dir)).map((name) => path.join(__dirname, dir, name)),
  ),
  path.join(__dirname, 'experiments'),
].filter((p) => fs.existsSync(path.join(p, 'jest.config.js')));

const projects = roots.map((root) => {
  const config = { ...require(path.join(root, 'jest.config.js')), rootDir: root };
  if (!quick) return config;
  return {
    ...config,
    testPathIgnorePatterns: ['/node_modules/', ...slowTests.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
  };
});

module.exports = { projects, testTimeout: 120000 };

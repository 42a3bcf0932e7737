// Root jest: every package and app is a project, so `npm test` runs them all in one process pool.
const fs = require('fs');
const path = require('path');
const roots = ['packages', 'apps'].flatMap((dir) =>
  fs.readdirSync(path.join(__dirname, dir))
    .map((name) => path.join(__dirname, dir, name))
    .filter((p) => fs.existsSync(path.join(p, 'jest.config.js'))),
);
module.exports = { projects: roots, testTimeout: 120000 };

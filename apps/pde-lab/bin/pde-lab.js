#!/usr/bin/env node
// The `pde-lab` command: runs the built CLI (dist/main.js) with plain Node. In the repository,
// build it first (npm run build) or run the sources with `npx ts-node apps/pde-lab/src/main.ts`.

const path = require('node:path');
const fs = require('node:fs');

const main = path.join(__dirname, '..', 'dist', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write(`pde-lab: ${main} is missing; run npm run build at the repository root\n`);
  process.exit(1);
}
require(main);

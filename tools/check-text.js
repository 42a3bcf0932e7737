#!/usr/bin/env node
// Product text speaks to users: no source file, config or README refers to the team's issue tracker
// ("issue 8") or to planning documents that are not in the repository. Run: node tools/check-text.js
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const banned = [
  [/\bissues? ?#?\d+\b/i, 'an issue number'],
  [
    /\b(ENGINEERING-NOTES|PINN-METHODS|COURSE\.md|DESIGN\.md|STYLE\.md|DEVELOPERS\.md)\b/,
    'a document outside the repository',
  ],
  [/\.\.\/shared\//, 'a folder outside the repository'],
];
const skipDirs = new Set(['node_modules', 'dist', 'build', '.git', 'results', '.nx', 'coverage']);
function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skipDirs.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(ts|js|json|md|py|sh)$/.test(e.name) && e.name !== 'package-lock.json') yield p;
  }
}
let failures = 0;
for (const top of ['packages', 'apps', 'experiments', 'tools', 'data', 'README.md']) {
  const start = path.join(root, top);
  if (!fs.existsSync(start)) continue;
  const list = fs.statSync(start).isDirectory() ? files(start) : [start];
  for (const file of list) {
    if (file === __filename) continue;
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [re, what] of banned) {
          if (re.test(line)) {
            failures++;
            console.error(
              `check-text: ${path.relative(root, file)}:${i + 1} refers to ${what}: ${line.trim().slice(0, 100)}`,
            );
          }
        }
      });
  }
}
if (failures) process.exit(1);
console.log('check-text: no issue numbers or outside documents in sources, configs and READMEs');

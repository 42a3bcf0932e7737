// How the install test finds, judges and reports the README examples, on fake installed projects
// (the real run, against the tarballs, is part of install-test.js).
// Run: node --test tools/install-test/readme-examples.test.js
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  codeBlocks,
  installedBy,
  importsOf,
  packageOf,
  readmeExample,
  runReadmeExamples,
} = require('./readme-examples');

const made = [];
test.after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake installed project: node_modules/@aml/<name>/README.md for each entry. */
function project(readmes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-readme-test-'));
  made.push(dir);
  for (const [name, text] of Object.entries(readmes)) {
    fs.mkdirSync(path.join(dir, 'node_modules', '@aml', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', '@aml', name, 'README.md'), text);
  }
  return dir;
}

const fence = '```';
const good = (name, body) =>
  `# @aml/${name}\n\nWhat it does.\n\n${fence}bash\nnpm install @aml/${name} @aml/core @tensorflow/tfjs@4.22.0   # see the root README\n${fence}\n\n## Quick start\n\n${fence}ts\n${body}\n${fence}\n\n${fence}ts\nlater();\n${fence}\n`;

test('code blocks come out in order with their language and line', () => {
  const blocks = codeBlocks(good('nn', "import { mlp } from '@aml/nn';\nconsole.log(1);"));
  assert.deepEqual(
    blocks.map((b) => [b.lang, b.line]),
    [
      ['bash', 5],
      ['ts', 11],
      ['ts', 16],
    ],
  );
  assert.equal(blocks[1].code, "import { mlp } from '@aml/nn';\nconsole.log(1);\n");
});

test('an install line gives its package names, without versions, flags, paths or comments', () => {
  assert.deepEqual(installedBy('npm install @aml/core @tensorflow/tfjs@4.22.0 --save-exact ./x.tgz # a comment\n'), [
    '@aml/core',
    '@tensorflow/tfjs',
  ]);
  assert.deepEqual(installedBy('npm i zod@^4 @aml/data\n'), ['zod', '@aml/data']);
  assert.equal(installedBy('npm run build\n'), undefined);
});

test('imports name their packages; Node built-ins belong to none', () => {
  const code =
    "import { a } from '@aml/core';\nimport { b } from '@aml/plot/node';\nimport fs from 'node:fs';\nconst p = require('path');\nconst z = await import('zod');\n";
  assert.deepEqual(importsOf(code).map(packageOf), ['@aml/core', '@aml/plot', undefined, undefined, 'zod']);
});

test('a README is judged by its first two code blocks', () => {
  const dir = project({
    nn: good('nn', 'console.log(1);'),
    data: `# @aml/data\n\n${fence}ts\nconsole.log(1);\n${fence}\n`,
    plot: `# @aml/plot\n\n${fence}bash\nnpm install @aml/plot\n${fence}\n\n${fence}bash\nnpx something\n${fence}\n`,
    sweep: `# @aml/sweep\n\n${fence}bash\nnpm install @aml/core\n${fence}\n\n${fence}ts\nconsole.log(1);\n${fence}\n`,
    'pde-lab': `# pde-lab\n\n${fence}bash\nnpx pde-lab list\n${fence}\n`,
    'data-lab': `# data-lab\n\n${fence}bash\nnpm install @aml/data-lab\n${fence}\n\n${fence}bash\nnpx data-lab --help   # every command\n\nnpx data-lab analyze x.csv\n${fence}\n`,
    sh: `# sh\n\n${fence}bash\nnpm install @aml/sh\n${fence}\n\n${fence}bash\nnpx sh --help\ncd /somewhere\n${fence}\n`,
  });
  const nn = readmeExample(dir, 'nn', { library: true });
  assert.equal(nn.code, 'console.log(1);\n');
  assert.equal(nn.line, 11);
  assert.deepEqual(nn.installs, ['@aml/nn', '@aml/core', '@tensorflow/tfjs']);
  assert.match(readmeExample(dir, 'data', { library: true }).problem, /first code block is not an install line/);
  assert.match(readmeExample(dir, 'plot', { library: true }).problem, /line 7\) is `bash`, not a TypeScript/);
  assert.match(readmeExample(dir, 'sweep', { library: true }).problem, /does not install @aml\/sweep/);
  assert.match(readmeExample(dir, 'core', { library: true }).problem, /ships no README/);
  assert.match(
    readmeExample(dir, 'pde-lab', { library: false }).skip,
    /first code block \(line 3\) is not an install line/,
  );
  const app = readmeExample(dir, 'data-lab', { library: false });
  assert.equal(app.shell, true);
  assert.equal(app.code, 'npx data-lab --help   # every command\n\nnpx data-lab analyze x.csv\n');
  assert.match(
    readmeExample(dir, 'sh', { library: false }).problem,
    /not a TypeScript .* or a shell block of npx commands/,
  );
  assert.match(
    readmeExample(dir, 'data-lab', { library: true }).problem,
    /is `bash`, not a TypeScript or JavaScript example$/,
  );
});

test('each failing example is reported with its README, line and error; the passing ones pass', () => {
  const names = ['core', 'nn', 'generative', 'pinn', 'data', 'plot', 'sweep'];
  const body = {
    core: "import { tf } from '@aml/core';\nconsole.log(tf.scalar(2).dataSync()[0]);",
    nn: 'const n: number = "x";\nconsole.log(n);', // the fake compiler reports line 1
    generative: "throw new Error('boom');",
    pinn: "console.log('done');", // prints no number
    data: "import { z } from 'zod';\nconsole.log(1);", // zod is not in the install line
    plot: 'console.log(0.5);',
    sweep: 'while (true) {}',
  };
  const dir = project(Object.fromEntries(names.map((n) => [n, good(n, body[n])])));
  const ran = [];
  // Stands in for tsc and node: tsc "compiles" every example but reports nn's error; node runs by folder.
  const run = (_cmd, args, options) => {
    if (args[0].endsWith(path.join('typescript', 'bin', 'tsc'))) {
      const config = JSON.parse(fs.readFileSync(path.join(options.cwd, args[2]), 'utf8'));
      for (const f of config.files) fs.writeFileSync(path.join(dir, f.replace(/\.mts$/, '.mjs')), '');
      return {
        status: 2,
        stdout: "readme/nn/example.mts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n",
        stderr: '',
        seconds: 1,
      };
    }
    const name = path.basename(options.cwd);
    ran.push(name);
    if (name === 'generative')
      return { status: 1, stdout: '', stderr: 'Error: boom\n    at example.mjs:1', seconds: 1 };
    if (name === 'pinn') return { status: 0, stdout: 'done\n', stderr: '', seconds: 1 };
    if (name === 'sweep') return { status: null, stdout: '', stderr: '', seconds: 120 };
    return { status: 0, stdout: name === 'core' ? '2\n' : '0.5\n', stderr: '', seconds: 1 };
  };
  const { results } = runReadmeExamples(dir, {}, run);
  const by = Object.fromEntries(results.map((r) => [r.name.split('/')[1], r]));
  assert.deepEqual(ran.sort(), ['core', 'generative', 'pinn', 'plot', 'sweep']);
  assert.equal(by.core.ok, true);
  assert.equal(by.plot.ok, true);
  assert.equal(by.nn.ok, false);
  assert.match(
    by.nn.detail,
    /^@aml\/nn\/README\.md \(example at line 11\): does not compile:\n {2}line 1:7: error TS2322/,
  );
  assert.match(
    by.generative.detail,
    /^@aml\/generative\/README\.md \(example at line 11\): exited 1:[\s\S]*Error: boom/,
  );
  assert.match(by.pinn.detail, /printed no number/);
  assert.match(
    by.data.detail,
    /imports zod, which its install line \(npm install @aml\/data @aml\/core @tensorflow\/tfjs\)/,
  );
  assert.match(by.sweep.detail, /did not finish within 120 s/);
  assert.match(by['pde-lab'].detail, /ships no README/);
  assert.equal(results.filter((r) => r.ok).length, 2);
});

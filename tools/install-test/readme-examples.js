// The README examples of the installed packages, run as written. Each library's README (as shipped in
// its tarball) must start with its install line (a code block with `npm install <the package> ...`)
// followed by its first example (a TypeScript or JavaScript code block). The install test copies every
// example into the test project, type-checks and compiles them with the TypeScript installed there
// (strict, module nodenext, against the packages' shipped declarations), and runs each with plain
// `node` in a folder of its own. An example fails when it does not compile, exits non-zero, takes
// longer than EXAMPLE_TIMEOUT_S, prints no number, or imports a package its install line does not
// install. An app's README is checked when it starts with its install line too; its example may also
// be a shell block of `npx` commands (its own commands), run with bash in a folder of its own.

const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

/** The libraries whose README must start with an install line and a runnable example. */
const LIBRARIES = ['core', 'nn', 'generative', 'pinn', 'data', 'plot', 'sweep'];
/** The apps: checked when their first code block is a code example. */
const APPS = ['pde-lab', 'data-lab'];
/** Longest run of one example, seconds (they are meant to take seconds). */
const EXAMPLE_TIMEOUT_S = 120;
const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);
const SHELL = new Set(['bash', 'sh', 'shell']);

/** True when every command of a shell block runs an installed command through npx. */
function npxOnly(code) {
  const lines = code
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
  return lines.length > 0 && lines.every((l) => /^npx \S/.test(l));
}

/** The fenced code blocks of a markdown text, in order: [{ lang, code, line }]. */
function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith(open[1]); i++) body.push(lines[i]);
    blocks.push({ lang: open[2].toLowerCase(), code: `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}

/** The package names an `npm install` line installs (flags and paths left out). */
function installedBy(code) {
  const line = code.split('\n').find((l) => /^\s*npm (install|i) /.test(l));
  if (!line) return undefined;
  return line
    .replace(/#.*/, '')
    .trim()
    .split(/\s+/)
    .slice(2)
    .filter((w) => !w.startsWith('-') && /^(@[\w.-]+\/)?[\w.-]+(@[\w.^~<>=-]+)?$/.test(w) && !w.endsWith('.tgz'))
    .map((w) => w.replace(/(.)@[^/]*$/, '$1'));
}

/** The package a module specifier belongs to (`@aml/core/node` -> `@aml/core`); undefined for Node built-ins. */
function packageOf(specifier) {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Module specifiers imported by an example (static imports, dynamic imports, require). */
function importsOf(code) {
  const out = new Set();
  for (const m of code.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm))
    out.add(m[1]);
  return [...out];
}

/**
 * The example of one installed package's README: { name, readme, lang, code, line, installs, shell }
 * or { name, readme, skip } (an app whose README does not start with an install line) or
 * { name, readme, problem }.
 */
function readmeExample(project, name, { library }) {
  const readme = path.join(project, 'node_modules', '@aml', name, 'README.md');
  const shown = `@aml/${name}/README.md`;
  if (!fs.existsSync(readme)) return { name, readme: shown, problem: 'the package ships no README.md' };
  const blocks = codeBlocks(fs.readFileSync(readme, 'utf8'));
  const [install, example] = blocks;
  const installs = install ? installedBy(install.code) : undefined;
  if (!installs && !library)
    return { name, readme: shown, skip: `its first code block (line ${install?.line ?? '?'}) is not an install line` };
  if (!installs)
    return { name, readme: shown, problem: 'its first code block is not an install line (npm install ...)' };
  if (!installs.includes(`@aml/${name}`))
    return { name, readme: shown, problem: `its install line does not install @aml/${name}: ${installs.join(' ')}` };
  if (!library && example && SHELL.has(example.lang) && npxOnly(example.code))
    return { name, readme: shown, lang: example.lang, code: example.code, line: example.line, installs, shell: true };
  if (!example || !CODE.has(example.lang))
    return {
      name,
      readme: shown,
      problem: `the code block after the install line (line ${example?.line ?? '?'}) is ${example ? `\`${example.lang || 'plain'}\`` : 'missing'}, not a TypeScript or JavaScript example${library ? '' : ' or a shell block of npx commands'}`,
    };
  return { name, readme: shown, lang: example.lang, code: example.code, line: example.line, installs };
}

/**
 * Writes every example into `<project>/readme/<name>/example.mts`, compiles them in one TypeScript
 * program and runs each; returns [{ name, ok, detail }] (skipped apps with ok and a detail).
 * `run(cmd, args, options)` runs a command and returns { status, stdout, stderr, seconds }.
 */
function runReadmeExamples(project, env, run) {
  const examples = [
    ...LIBRARIES.map((n) => readmeExample(project, n, { library: true })),
    ...APPS.map((n) => readmeExample(project, n, { library: false })),
  ];
  const results = [];
  const dirs = {};
  for (const ex of examples) {
    if (ex.problem || ex.skip) continue;
    const dir = path.join(project, 'readme', ex.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, ex.shell ? 'example.sh' : 'example.mts'), ex.code);
    dirs[ex.name] = dir;
  }
  // One program for all examples: strict TypeScript as a user's project would compile it.
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      noEmitOnError: false,
    },
    files: examples
      .filter((ex) => dirs[ex.name] && !ex.shell)
      .map((ex) => path.relative(project, path.join(dirs[ex.name], 'example.mts'))),
  };
  fs.writeFileSync(path.join(project, 'tsconfig.readme.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = path.join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  const c = run(process.execPath, [tsc, '-p', 'tsconfig.readme.json', '--pretty', 'false'], { cwd: project, env });
  const compileErrors = {};
  for (const l of `${c.stdout}\n${c.stderr}`.split('\n')) {
    const m = /^readme[/\\]([^/\\]+)[/\\]example\.mts\((\d+),(\d+)\): (.*)$/.exec(l.trim());
    if (m) (compileErrors[m[1]] ??= []).push(`line ${m[2]}:${m[3]}: ${m[4]}`);
    else if (/error TS/.test(l)) (compileErrors['*'] ??= []).push(l.trim());
  }
  for (const ex of examples) {
    const where = ex.line ? `${ex.readme} (example at line ${ex.line})` : ex.readme;
    if (ex.skip) {
      results.push({ name: ex.readme, ok: true, detail: `skipped: ${ex.skip}` });
      continue;
    }
    if (ex.problem) {
      results.push({ name: ex.readme, ok: false, detail: `${ex.readme}: ${ex.problem}` });
      continue;
    }
    const fail = (why) => results.push({ name: ex.readme, ok: false, detail: `${where}: ${why}` });
    const stray = importsOf(ex.code)
      .map(packageOf)
      .filter((p) => p && ex.installs.length && !ex.installs.includes(p));
    if (stray.length) {
      fail(
        `imports ${[...new Set(stray)].join(', ')}, which its install line (npm install ${ex.installs.join(' ')}) does not install`,
      );
      continue;
    }
    const errors = ex.shell ? undefined : (compileErrors[ex.name] ?? compileErrors['*']);
    if (errors) {
      fail(`does not compile:\n  ${errors.join('\n  ')}`);
      continue;
    }
    const js = path.join(dirs[ex.name], 'example.mjs');
    if (!ex.shell && !fs.existsSync(js)) {
      fail(
        `TypeScript wrote no example.mjs (tsc exited ${c.status}):\n${c.stdout.slice(-2000)}${c.stderr.slice(-2000)}`,
      );
      continue;
    }
    const r = run(ex.shell ? 'bash' : process.execPath, ex.shell ? ['-e', 'example.sh'] : ['example.mjs'], {
      cwd: dirs[ex.name],
      env,
      timeout: EXAMPLE_TIMEOUT_S * 1000,
    });
    const out = (ex.shell ? `${r.stdout}\n${r.stderr}` : r.stdout).trim(); // a command's report may go to stderr
    if (r.status !== 0) {
      fail(
        r.status === null
          ? `did not finish within ${EXAMPLE_TIMEOUT_S} s`
          : `exited ${r.status}:\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-3000)}`,
      );
      continue;
    }
    if (!/\d/.test(out) || /\bNaN\b/.test(out)) {
      fail(`ran but printed no number (or NaN): ${JSON.stringify(out.slice(-500))}`);
      continue;
    }
    const lastLine = out.split('\n').at(-1);
    results.push({
      name: ex.readme,
      ok: true,
      detail: `${r.seconds.toFixed(1)} s, last line: ${lastLine.length > 100 ? `${lastLine.slice(0, 100)}...` : lastLine}`,
    });
  }
  return { results, compileSeconds: c.seconds };
}

module.exports = {
  runReadmeExamples,
  readmeExample,
  codeBlocks,
  installedBy,
  importsOf,
  packageOf,
  LIBRARIES,
  APPS,
  EXAMPLE_TIMEOUT_S,
};

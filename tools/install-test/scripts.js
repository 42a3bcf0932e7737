// The user scripts the install test runs in a fresh project: one ES module and one CommonJS file
// with the same body. Each imports the six libraries by name (an ES module fails to link when a
// named export is missing, so this also checks that Node sees the CommonJS build's exports), then
// solves the 1D heat equation u_t = u_xx on the fused engine and prints one RESULT line as JSON.

/** Named imports per package: a few from each, enough to prove each entry loads and exports. */
const IMPORTS = {
  '@aml/core': ['initBackend', 'Rng', 'tf'],
  '@aml/nn': ['PACKAGE_NAME'],
  '@aml/generative': ['isingExact'],
  '@aml/data': ['parseCsv'],
  '@aml/plot': ['lineFigure'],
  '@aml/pinn': [
    'definePde',
    'timeDomain',
    'interval',
    'trialSolution',
    'solve',
    'boxGrid',
    'compareWithFunction',
    'fusedEngine',
  ],
};

// u(x, 0) = sin(pi x), u(0, t) = u(1, t) = 0; exact u = exp(-pi^2 t) sin(pi x). The Lagaris trial
// solution (1 - t) sin(pi x) + x (1 - x) t N(x, t) holds the conditions exactly, so the only loss
// is the residual. Adam (steps from the command line, default 300) then 200 L-BFGS steps. Any fallback notice from the fused engine fails the test (it must really run).
const BODY = `
const steps = Number(process.argv[2] ?? 300);
const imported = { ${Object.values(IMPORTS)
  .flat()
  .map((n) => `${n}`)
  .join(', ')} };
const missing = Object.entries(imported).filter(([, v]) => v === undefined).map(([k]) => k);
if (missing.length) throw new Error('missing exports: ' + missing.join(', '));
const backend = await initBackend({ backend: 'wasm' });
const notices = [];
const problem = definePde({
  geometry: timeDomain(interval(0, 1), 0, 1),
  equation: 'u_t - u_xx',
  constraint: trialSolution('(1-t)*sin(pi*x)', 'x*(1-x)*t'),
});
const started = Date.now();
const { model } = await solve(problem, {
  network: { hidden: [16, 16], activation: 'tanh' },
  points: { domain: 500, sampler: 'lhs' },
  adam: { steps, learningRate: 1e-2 },
  lbfgs: { steps: 200 },
  engine: fusedEngine({ log: (line) => notices.push(line) }),
  seed: 1,
});
const seconds = (Date.now() - started) / 1000;
const exact = ([x, t]) => Math.exp(-(Math.PI ** 2) * t) * Math.sin(Math.PI * x);
const err = compareWithFunction(boxGrid([0, 0], [1, 1], [41, 41]), 2, (p) => model.predict(p), exact);
model.dispose();
console.log('RESULT ' + JSON.stringify({ relativeL2: err.relativeL2, steps, seconds, backend: backend.name, notices }));
`;

/** The ES-module script (top-level await, named imports). */
function esmScript() {
  const lines = Object.entries(IMPORTS).map(([pkg, names]) => `import { ${names.join(', ')} } from '${pkg}';`);
  return `${lines.join('\n')}\n${BODY}`;
}

/** The CommonJS script (require, body inside an async function). */
function cjsScript() {
  const lines = Object.entries(IMPORTS).map(([pkg, names]) => `const { ${names.join(', ')} } = require('${pkg}');`);
  const body = BODY.split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
  return `'use strict';\n${lines.join('\n')}\n(async () => {${body}})().catch((e) => {\n  console.error(e);\n  process.exit(1);\n});\n`;
}

/**
 * An ES module that compares, per library, the names `require()` returns with those an ES `import`
 * sees (Node reads a CommonJS file's exports statically); prints one EXPORTS line as JSON.
 */
function exportsScript(packages) {
  return `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
for (const name of ${JSON.stringify(packages)}) {
  const cjs = Object.keys(require(name)).filter((k) => k !== '__esModule');
  const esm = new Set(Object.keys(await import(name)));
  out[name] = { names: cjs.length, missing: cjs.filter((k) => !esm.has(k)) };
}
console.log('EXPORTS ' + JSON.stringify(out));
`;
}

module.exports = { esmScript, cjsScript, exportsScript, IMPORTS };

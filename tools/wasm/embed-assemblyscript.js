/**
 * One way to ship a small WASM module with a package: compile an AssemblyScript file with the settings every
 * such module here uses (-O3, stub runtime, SIMD, the wasm backend's heap imported as env.memory) and write its
 * bytes, base64, into a generated TypeScript file, so the package needs no build step at install time.
 * Used by packages/core/scripts/embed-adam-wasm.js and packages/nn/scripts/embed-gemm-wasm.js; each package's test
 * checks that its embedded bytes equal a fresh compile (the scripts' `--print`).
 *
 *   embedAssemblyScript({ tag: 'embed-gemm-wasm', pkg, compiler: require.resolve('assemblyscript/package.json'),
 *     source: 'assembly/gemm.ts',
 *     target: 'src/fast/gemm-wasm.ts', constName: 'GEMM_WASM_BASE64', doc: 'what the module exports' });
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The module's bytes, freshly compiled from `pkg/source` by the AssemblyScript whose package.json is `compiler`. */
function compileAssemblyScript(pkg, source, tag, compiler) {
  const asc = path.join(path.dirname(compiler), 'bin', 'asc.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${tag}-`));
  const out = path.join(dir, `${path.basename(source, '.ts')}.wasm`);
  const args = [
    asc,
    path.join(pkg, source),
    '-O3',
    '--runtime',
    'stub',
    '--use',
    'abort=',
    '--noExportMemory',
    '--importMemory',
    '--initialMemory',
    '1',
    '--enable',
    'simd',
    '-o',
    out,
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tag}: asc failed:\n${r.stderr || r.stdout}`);
  const bytes = fs.readFileSync(out);
  fs.rmSync(dir, { recursive: true, force: true });
  return bytes;
}

/**
 * Compile and embed (or, with `--print` in argv, write the base64 to stdout). `compiler` is the resolved
 * assemblyscript/package.json of the calling package (its own dev dependency); `doc` is the generated file's
 * comment body (lines without the leading ` * `).
 */
function embedAssemblyScript({ tag, pkg, compiler, source, target, constName, doc, argv = process.argv }) {
  const b64 = compileAssemblyScript(pkg, source, tag, compiler).toString('base64');
  if (argv.includes('--print')) {
    process.stdout.write(b64);
    return;
  }
  const file = path.join(pkg, target);
  const comment = doc.map((l) => (l ? ` * ${l}` : ' *')).join('\n');
  fs.writeFileSync(file, `/**\n${comment}\n */\nexport const ${constName} =\n  '${b64}';\n`);
  console.log(`${tag}: ${path.relative(process.cwd(), file)} (${b64.length} base64 chars)`);
}

module.exports = { compileAssemblyScript, embedAssemblyScript };

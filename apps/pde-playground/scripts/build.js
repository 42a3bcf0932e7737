// Bundle the playground page into apps/pde-playground/dist: app.js (esbuild, browser platform: a Node
// built-in fails the build), index.html, tfjs's wasm backend files and @aml/pinn's fused kernel builds.
// Run: node apps/pde-playground/scripts/build.js [--dev]
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const APP = path.resolve(__dirname, '..');
const ROOT = path.resolve(APP, '../..');
const OUT = path.join(APP, 'dist');

/** Build the page; returns the output folder. */
function buildPlayground({ minify = true } = {}) {
  fs.mkdirSync(OUT, { recursive: true });
  esbuild.buildSync({
    entryPoints: [path.join(APP, 'src/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    outfile: path.join(OUT, 'app.js'),
    minify,
    sourcemap: true,
    logLevel: 'warning',
    absWorkingDir: ROOT,
    loader: { '.json': 'json' },
  });
  fs.copyFileSync(path.join(APP, 'src/index.html'), path.join(OUT, 'index.html'));
  const wasmDir = path.dirname(
    require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', { paths: [ROOT] }),
  );
  for (const f of fs.readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')))
    fs.copyFileSync(path.join(wasmDir, f), path.join(OUT, f));
  const kernels = path.join(ROOT, 'packages/pinn/build');
  for (const f of ['fused-relaxed.wasm', 'fused-simd.wasm']) {
    const src = path.join(kernels, f);
    if (!fs.existsSync(src))
      throw new Error(
        `playground: ${path.relative(ROOT, src)} is missing; run npm run build (it compiles the fused kernel)`,
      );
    fs.copyFileSync(src, path.join(OUT, f));
  }
  return OUT;
}

if (require.main === module) {
  const out = buildPlayground({ minify: !process.argv.includes('--dev') });
  console.log(`playground built in ${path.relative(process.cwd(), out)}`);
}
module.exports = { buildPlayground, OUT };

// Serve the built playground locally, cross-origin isolated (COOP/COEP: the fused kernel's memory is
// shared). Run: npm run playground  (builds, then serves on http://localhost:8080; PORT=... to change)
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { buildPlayground } = require('./build');

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Start a static server of `dir` on `port` (0: any free port); resolves to the server. */
function serve(dir, port) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (require.main === module) {
  const dir = buildPlayground();
  const port = Number(process.env.PORT ?? 8080);
  serve(dir, port).then((s) => console.log(`PDE playground: http://localhost:${s.address().port}/`));
}
module.exports = { serve };

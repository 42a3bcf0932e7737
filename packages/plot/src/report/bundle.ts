import { fs, path } from '../platform/node-modules'; // loaded on use: this module bundles for a browser

/**
 * How a report gets plotly.js (which cannot run in Node, so the browser must load it):
 * - 'copy' (default): put the bundle next to report.html as `plotly.js`. The results folder stays
 *   self-contained (zip it, move it, open it offline). The copy is a hard link when the results folder
 *   is on the same file system as node_modules, so it costs no disk space; otherwise a real 10 MB copy.
 * - 'reference': `<script src>` with the relative path to node_modules' bundle: a 100 KB report, but it
 *   breaks when the folder is moved or node_modules is removed.
 * - 'inline': the 10 MB bundle inside the HTML: one file to e-mail, heavy for every report.
 */
export type PlotlyMode = 'copy' | 'reference' | 'inline';

/** File name of the bundle copied next to a report. */
export const PLOTLY_FILE = 'plotly.js';

/** Absolute path of the installed plotly.js-dist bundle. */
export function plotlyBundlePath(): string {
  try {
    return require.resolve('plotly.js-dist');
  } catch {
    throw new Error(
      'plotly.js-dist is not installed: run `npm ci` at the repository root (it is a dependency of @aml/plot)',
    );
  }
}

/** Make the bundle available for a report in `dir` and return the <script> tag that loads it. */
export function plotlyScriptTag(dir: string, mode: PlotlyMode): string {
  const src = plotlyBundlePath();
  if (mode === 'inline') {
    return `<script>${fs.readFileSync(src, 'utf8').replace(/<\/script/gi, '<\\/script')}</script>`;
  }
  if (mode === 'reference') {
    const rel = path.relative(dir, src).split(path.sep).join('/');
    return `<script src="${rel}"></script>`;
  }
  const dest = path.join(dir, PLOTLY_FILE);
  const srcSize = fs.statSync(src).size;
  if (!(fs.existsSync(dest) && fs.statSync(dest).size === srcSize)) {
    fs.rmSync(dest, { force: true });
    try {
      fs.linkSync(src, dest);
    } catch {
      fs.copyFileSync(src, dest); // different file system (or no hard links): a real copy
    }
  }
  return `<script src="${PLOTLY_FILE}"></script>`;
}

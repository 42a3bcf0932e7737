import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where headless Chromium is looked for when no path is given (Debian's `chromium` first). */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The first installed Chromium-family browser, or null. */
export function findChromium(candidates: readonly string[] = CHROMIUM_CANDIDATES): string | null {
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return null;
}

/** The message given when no browser is installed (PNG export and the browser test use it). */
export const NO_CHROMIUM_MESSAGE =
  'no headless Chromium found (looked in ' +
  CHROMIUM_CANDIDATES.slice(0, 2).join(', ') +
  ' ...): ' +
  'install it with `apt-get install -y chromium` (Debian/Ubuntu) or pass executablePath; the HTML report itself needs no browser';

/** Flags for a headless, offline, throw-away Chromium run. */
export function headlessFlags(userDataDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    `--user-data-dir=${userDataDir}`,
  ];
}

/** Options of `exportPng`. */
export interface PngOptions {
  /** Browser executable (default: `findChromium()`). */
  readonly executablePath?: string;
  /** Viewport width in px (default 1200). */
  readonly width?: number;
  /** Viewport height in px (default 1600). */
  readonly height?: number;
  /** Milliseconds of virtual time given to the page to render its figures (default 5000). */
  readonly renderBudgetMs?: number;
}

/**
 * Screenshot an HTML report to PNG with headless Chromium (about 2 s here).
 * Throws `NO_CHROMIUM_MESSAGE` when no browser is installed, so callers can treat PNGs as optional.
 *
 * @returns the PNG path.
 */
export function exportPng(htmlFile: string, pngFile: string, o: PngOptions = {}): string {
  const exe = o.executablePath ?? findChromium();
  if (!exe || !fs.existsSync(exe)) throw new Error(NO_CHROMIUM_MESSAGE);
  if (!fs.existsSync(htmlFile)) throw new Error(`exportPng: report '${htmlFile}' does not exist`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-chromium-'));
  try {
    const out = path.resolve(pngFile);
    const r = spawnSync(
      exe,
      [
        ...headlessFlags(profile),
        `--screenshot=${out}`,
        `--window-size=${o.width ?? 1200},${o.height ?? 1600}`,
        `--virtual-time-budget=${o.renderBudgetMs ?? 5000}`,
        'file://' + path.resolve(htmlFile),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (r.error) throw new Error(`exportPng: could not run ${exe}: ${r.error.message}`);
    if (!fs.existsSync(out))
      throw new Error(`exportPng: ${exe} exited with ${r.status} and wrote no PNG: ${(r.stderr ?? '').slice(-500)}`);
    return out;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

import * as path from 'node:path';
import { exportPng } from '@aml/plot/node';

/**
 * `--png`: also save report.png through headless Chromium. Optional by nature: without a browser the run still
 * succeeds and the log says how to install one.
 */
export function maybePng(dir: string, enabled: boolean, log: (line: string) => void): void {
  if (!enabled) return;
  try {
    const png = exportPng(path.join(dir, 'report.html'), path.join(dir, 'report.png'), { height: 3000 });
    log(`wrote ${png}`);
  } catch (e) {
    log(`--png skipped: ${(e as Error).message}`);
  }
}

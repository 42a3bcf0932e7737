/** Temporary folders for tests (removed by the caller's afterAll). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh empty folder under the OS temp dir. */
export function tempDir(prefix = 'pde-lab-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Remove a folder made by `tempDir`. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

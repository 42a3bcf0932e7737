/**
 * One invocation per sweep at a time: two invocations planning the same sweep at once would both
 * start its unfinished runs. The lock is a file created exclusively in the sweep folder, holding the
 * owner's pid and host; a lock whose owner process is gone (crash, reboot) is taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Name of the lock file inside the sweep folder. */
export const LOCK_FILE = '.sweep.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Take the lock of the sweep in `sweepDir`; returns the function that releases it.
 * @throws naming the owner when another live invocation holds it (on this host; a lock from another
 *         host is trusted, since its process cannot be checked from here).
 */
export function lockSweep(sweepDir: string): () => void {
  mkdirSync(sweepDir, { recursive: true });
  const file = join(sweepDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid?: number; host?: string; since?: string } = {};
      try {
        owner = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // half-written by a crashed owner: stale
      }
      const live = owner.pid !== undefined && (owner.host !== hostname() || alive(owner.pid));
      if (live) {
        throw new Error(
          `sweep ${sweepDir} is being run by another invocation (pid ${owner.pid} on ${owner.host}, since ${owner.since}); ` +
            `wait for it, or remove ${file} if that process is gone`,
        );
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`sweep ${sweepDir}: could not take the lock ${file}`);
}

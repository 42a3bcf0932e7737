/**
 * `pde-lab run <experiment> --resume`: continue the run in its results folder from the last
 * checkpoint. The folder's config.json (the resolved experiment) is the config that continues, so a
 * resumed run ends with the same numbers as one that was never stopped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readManifest } from '@aml/core/node';
import { latestCheckpointDir } from '../adapter/marching';
import { ConfigError } from '../catalog/catalog';

/** What `resumeCommand` needs of the run options. */
export interface ResumeArgs {
  readonly experiment: string;
  readonly out?: string;
}

/** The command that resumes this run, as the user would type it. */
export function resumeCommand(o: ResumeArgs): string {
  const q = (s: string) => (/^[\w./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `pde-lab run ${q(o.experiment)} --resume${o.out ? ` --out ${q(o.out)}` : ''}`;
}

/** The results folder must be a folder (or not exist yet): a file there is named with the fix. */
export function checkOutFolder(out: string): void {
  let p = out;
  // The nearest existing ancestor must be a folder too (mkdir would fail with ENOTDIR/EEXIST).
  while (!fs.existsSync(p) && path.dirname(p) !== p) p = path.dirname(p);
  if (fs.existsSync(p) && !fs.statSync(p).isDirectory()) {
    throw new ConfigError(`results folder ${out}: ${p} is a file, not a folder; pick another folder with --out <dir>`);
  }
}

/** Throw unless `out` holds a run that can continue: its config.json and a checkpoint, and not completed. */
export function checkResumable(out: string, again: string): void {
  const ckpt = path.join(out, 'checkpoint');
  if (!fs.existsSync(path.join(out, 'config.json'))) {
    throw new ConfigError(
      `--resume: ${out} holds no run to resume (config.json is missing); start it without --resume`,
    );
  }
  let manifest;
  try {
    // a time-marching run checkpoints each window into checkpoint/window-<k>
    manifest = readManifest(latestCheckpointDir(ckpt, (d) => readManifest(d) !== null) ?? ckpt);
  } catch (e) {
    throw new ConfigError(
      `--resume: the checkpoint in ${ckpt} cannot be read (${(e as Error).message}); start over with --force`,
    );
  }
  if (!manifest) {
    throw new ConfigError(
      `--resume: ${ckpt} holds no checkpoint (the run stopped before its first one); start over with --force instead of --resume`,
    );
  }
  const metrics = path.join(out, 'metrics.json');
  if (fs.existsSync(metrics)) {
    let status: unknown;
    try {
      status = (JSON.parse(fs.readFileSync(metrics, 'utf8')) as { status?: unknown }).status;
    } catch {
      status = undefined;
    }
    if (status === 'completed' || status === undefined) {
      throw new ConfigError(
        `--resume: the run in ${out} has completed; nothing to resume (re-run it with --force, not ${again})`,
      );
    }
  }
}

/**
 * Per-run commands for TypeScript entry points. Every run pays Node's start-up, so a run starts
 * from the built JavaScript (`dist/`) when a build exists, is not older than the sources, and
 * loads; otherwise through ts-node's SWC transpiler (a pde-lab run takes about 0.7 s more CPU that
 * way than from its build: 1.9-2.0 s against 1.2-1.3 s for `run exp-decay --quick`; the type-checking
 * default costs more still). Paths are absolute, so the command does not depend on where Slurm starts the job.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shellQuote } from '../runs/script';

/**
 * `<node> <ts-node bin> --swc <script> <args>`, shell-quoted. ts-node is the repository's root dev
 * dependency (every script runs through it).
 * @param script absolute path of the entry point, e.g. `apps/pde-lab/src/main.ts` resolved.
 * @param args   the rest of the command, with placeholders, e.g. `run --config {config} --out {out}`.
 * @example tsNodeCommand(join(__dirname, 'main.ts'), 'run --config {config} --out {out}')
 */
export function tsNodeCommand(script: string, args: string): string {
  let bin: string;
  try {
    bin = require.resolve('ts-node/dist/bin.js');
  } catch {
    throw new Error(
      'ts-node is not installed: run `npm ci` at the repository root (sweeps run TypeScript entry points through it)',
    );
  }
  return `${shellQuote(process.execPath)} ${shellQuote(bin)} --swc ${shellQuote(script)} ${args}`;
}

/** Newest modification time (ms) of a `.ts` file under `dir` (0 when there is none). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Why the build of the project in `projectDir` (holding `src/` and `dist/`) cannot be used, or undefined when it can. */
function staleBuild(projectDir: string): string | undefined {
  const dist = join(projectDir, 'dist');
  if (!existsSync(dist)) return `${dist} does not exist (run npm run build)`;
  const built = statSync(dist).mtimeMs;
  // tsc -b rewrites the build info on every build that saw a change, even when no output changed.
  let stamp = built;
  for (const info of [join(dist, 'tsconfig.build.tsbuildinfo'), join(projectDir, 'tsconfig.build.tsbuildinfo')])
    if (existsSync(info)) stamp = Math.max(stamp, statSync(info).mtimeMs);
  if (existsSync(join(projectDir, 'src')) && newestSource(join(projectDir, 'src')) > stamp)
    return `${projectDir}/src is newer than its build (run npm run build)`;
  return undefined;
}

/** What `builtCommand` chose and why. */
export interface RunCommandChoice {
  /** The per-run command. */
  readonly command: string;
  /** `built` (plain Node on dist/) or `ts-node`. */
  readonly via: 'built' | 'ts-node';
  /** Why the build was not used (when via is ts-node). */
  readonly reason?: string;
}

/**
 * The preload that lets plain Node run a built app inside the repository (`@aml/<name>` resolves to the
 * package's `dist/index.js`; see scripts/use-dist.js), or undefined when it is not shipped.
 */
export function useDistPreload(): string | undefined {
  const file = join(__dirname, '..', '..', 'scripts', 'use-dist.js');
  return existsSync(file) ? file : undefined;
}

/** `node [-r use-dist.js] <entry> <args>`, shell-quoted. */
function nodeCommand(entry: string, args: string): string {
  const preload = useDistPreload();
  return [process.execPath, ...(preload ? ['-r', preload] : []), entry].map(shellQuote).join(' ') + ` ${args}`;
}

/**
 * The per-run command of a TypeScript entry point: plain Node on its `dist/` build when the project
 * and every workspace package have a build newer than their sources and the built entry starts
 * (`--version` exits 0), else `tsNodeCommand`. Checked once per call (about one Node start-up).
 * When `script` itself is already built JavaScript (the app runs from `dist/`, or is installed from
 * its package: `main.ts` is absent, `main.js` beside it), that file is used as it is.
 * @param script    the TypeScript entry, e.g. `<repo>/apps/pde-lab/src/main.ts`.
 * @param args      the rest of the command, with placeholders.
 * @param workspace folders whose builds the entry loads (default: every project in the repository's `packages` folder).
 * @example builtCommand(join(__dirname, 'main.ts'), 'run --config {config} --out {out}').command
 */
export function builtCommand(script: string, args: string, workspace?: readonly string[]): RunCommandChoice {
  const js = script.replace(/\.ts$/, '.js');
  if (!existsSync(script) && existsSync(js)) return { command: nodeCommand(js, args), via: 'built' };
  const m = /^(.*)\/src\/(.+)\.ts$/.exec(script);
  if (!m)
    return { command: tsNodeCommand(script, args), via: 'ts-node', reason: `${script} is not under a src/ folder` };
  const project = m[1];
  const entry = join(project, 'dist', `${m[2]}.js`);
  const packagesDir = join(dirname(dirname(project)), 'packages');
  const dirs = workspace ?? (existsSync(packagesDir) ? readdirSync(packagesDir).map((d) => join(packagesDir, d)) : []);
  const why =
    [project, ...dirs.filter((d) => existsSync(join(d, 'src')))].map(staleBuild).find((r) => r !== undefined) ??
    (existsSync(entry) ? undefined : `${entry} does not exist`);
  if (why) return { command: tsNodeCommand(script, args), via: 'ts-node', reason: why };
  const preload = useDistPreload();
  try {
    execFileSync(process.execPath, [...(preload ? ['-r', preload] : []), entry, '--version'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    return { command: nodeCommand(entry, args), via: 'built' };
  } catch (e) {
    return {
      command: tsNodeCommand(script, args),
      via: 'ts-node',
      reason: `${entry} does not start (${(e as Error).message.split('\n')[0]})`,
    };
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumeTemplate } from '../runs/script';
import { builtCommand, useDistPreload } from './ts-node';

describe('per-run commands', () => {
  let root: string;
  beforeEach(() => {
    // <root>/apps/lab/{src/main.ts, dist/main.js} and <root>/packages/core/{src, dist}, as the repository lays them out
    root = mkdtempSync(join(tmpdir(), 'sweep-cmd-'));
    for (const d of ['apps/lab/src', 'apps/lab/dist', 'packages/core/src', 'packages/core/dist'])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'apps/lab/src/main.ts'), 'console.log(1);\n');
    writeFileSync(join(root, 'packages/core/src/index.ts'), 'export {};\n');
    writeFileSync(join(root, 'apps/lab/dist/main.js'), 'if (process.argv[2] === "--version") console.log("0.1.0");\n');
    const old = new Date(Date.now() - 60_000);
    for (const f of ['apps/lab/src/main.ts', 'packages/core/src/index.ts']) utimesSync(join(root, f), old, old);
    const built = new Date(Date.now() - 30_000); // built after the sources were written
    for (const d of ['apps/lab/dist', 'packages/core/dist']) utimesSync(join(root, d), built, built);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const entry = () => join(root, 'apps/lab/src/main.ts');

  it('starts from the built JavaScript when every build is up to date and the entry starts', () => {
    const c = builtCommand(entry(), 'run --config {config}');
    expect(c.via).toBe('built');
    expect(c.command).toBe(
      `${process.execPath} -r ${useDistPreload()} ${join(root, 'apps/lab/dist/main.js')} run --config {config}`,
    );
  });
  it('falls back to ts-node, saying why, when a source is newer than its build or the build does not start', () => {
    writeFileSync(join(root, 'packages/core/src/index.ts'), 'export const x = 1;\n'); // edited after the build
    const stale = builtCommand(entry(), 'run');
    expect(stale).toMatchObject({
      via: 'ts-node',
      reason: `${join(root, 'packages/core')}/src is newer than its build (run npm run build)`,
    });
    expect(stale.command).toMatch(/ts-node\/dist\/bin\.js --swc .*apps\/lab\/src\/main\.ts run$/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'packages/core/src/index.ts'), old, old);
    writeFileSync(join(root, 'apps/lab/dist/main.js'), 'process.exit(1);\n');
    expect(builtCommand(entry(), 'run').reason).toMatch(/dist\/main\.js does not start/);
    rmSync(join(root, 'apps/lab/dist'), { recursive: true });
    expect(builtCommand(entry(), 'run').reason).toMatch(/apps\/lab\/dist does not exist/);
  });
  it("counts a build by tsc -b's build info: dist/ made before an edit, rebuilt after it, is up to date", () => {
    // tsc -b rewrites dist/tsconfig.build.tsbuildinfo on every build that saw a change; the folder's own time stays
    const edited = new Date(Date.now() - 20_000);
    utimesSync(join(root, 'packages/core/src/index.ts'), edited, edited);
    expect(builtCommand(entry(), 'run').via).toBe('ts-node');
    writeFileSync(join(root, 'packages/core/dist/tsconfig.build.tsbuildinfo'), '{}');
    const rebuilt = new Date(Date.now() - 10_000);
    utimesSync(join(root, 'packages/core/dist/tsconfig.build.tsbuildinfo'), rebuilt, rebuilt);
    utimesSync(join(root, 'packages/core/dist'), new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
    expect(builtCommand(entry(), 'run').via).toBe('built');
  });
  it('runs an entry that is already built JavaScript as it is (an app started from dist/ or installed)', () => {
    rmSync(join(root, 'apps/lab/src'), { recursive: true });
    writeFileSync(join(root, 'apps/lab/dist/main.js'), 'console.log(1);\n');
    expect(builtCommand(join(root, 'apps/lab/dist/main.ts'), 'run')).toEqual({
      via: 'built',
      command: `${process.execPath} -r ${useDistPreload()} ${join(root, 'apps/lab/dist/main.js')} run`,
    });
  });
  it('the preload makes @aml packages resolve to their dist/ build when there is one', () => {
    // packages/sweep's main is src/index.ts; with the preload, a dist/index.js beside it would be chosen.
    const out = execFileSync(
      process.execPath,
      ['-r', useDistPreload()!, '-e', "console.log(require.resolve('@aml/sweep'))"],
      { encoding: 'utf8' },
    ).trim();
    expect(out).toMatch(
      existsSync(join(__dirname, '../../dist/index.js'))
        ? /packages\/sweep\/dist\/index\.js$/
        : /packages\/sweep\/src\/index\.ts$/,
    );
  });
  it("the preload resolves a package's subpath exports (@aml/core/node) to their dist/ build", () => {
    const resolve = (request: string) =>
      execFileSync(
        process.execPath,
        ['-r', useDistPreload()!, '-e', `console.log(require.resolve(${JSON.stringify(request)}))`],
        {
          encoding: 'utf8',
        },
      ).trim();
    const core = join(__dirname, '../../../core');
    expect(resolve('@aml/core/node')).toBe(
      existsSync(join(core, 'dist/node.js')) ? join(core, 'dist/node.js') : join(core, 'src/node.ts'),
    );
    expect(resolve('@aml/core/package.json')).toBe(join(core, 'package.json'));
  });
  it('a resumed attempt drops the flags the app refuses with its resume flag', () => {
    expect(
      resumeTemplate('node m.js run --config {config} --out {out} --force --backend wasm', {
        args: '--resume',
        drop: ['--force'],
        checkpoint: 'checkpoint',
      }),
    ).toBe('node m.js run --config {config} --out {out} --backend wasm --resume');
  });
});

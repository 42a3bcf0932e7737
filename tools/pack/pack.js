#!/usr/bin/env node
// Packs every library and app for users: stages each project into build/pack/<name>/ (its dist/,
// README, shipped assets and a package.json rewritten to point at the built JavaScript), then runs
// `npm pack` there into build/tarballs/. The repository's own package.json files keep `main` at
// src/index.ts so ts-node and jest run the sources; only the staged copies point at dist/.
// Run `npm run build` first. Usage: node tools/pack/pack.js [--out <dir>] [project ...]

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { PROJECTS, userManifest } = require('./manifest');

const root = path.resolve(__dirname, '..', '..');

/** Copies dist/ without the build's bookkeeping (.tsbuildinfo) and declaration maps (their .ts sources are not shipped). */
function copyDist(from, to) {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => !src.endsWith('.tsbuildinfo') && !src.endsWith('.d.ts.map'),
  });
}

/** Stages one project; returns the staging folder. Throws naming the missing build output. */
function stage(project, stagingRoot) {
  const dir = path.join(root, project.dir);
  const src = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const dist = path.join(dir, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.js'))) {
    throw new Error(`pack: ${project.dir}/dist/index.js is missing; run npm run build first`);
  }
  const out = path.join(stagingRoot, src.name.replace(/^@aml\//, ''));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  copyDist(dist, path.join(out, 'dist'));
  for (const file of ['README.md', 'RESULTS.md']) {
    if (fs.existsSync(path.join(dir, file))) fs.copyFileSync(path.join(dir, file), path.join(out, file));
  }
  const license = path.join(root, 'LICENSE');
  if (fs.existsSync(license)) fs.copyFileSync(license, path.join(out, 'LICENSE'));
  for (const asset of project.assets ?? []) {
    const files = asset.files(root);
    if (files.length === 0) throw new Error(`pack: ${src.name}: no ${asset.what} found (${asset.hint})`);
    fs.mkdirSync(path.join(out, asset.to), { recursive: true });
    for (const f of files) fs.copyFileSync(f, path.join(out, asset.to, path.basename(f)));
  }
  for (const [name, file] of Object.entries(project.bin ?? {})) {
    if (!fs.existsSync(path.join(dir, file))) throw new Error(`pack: ${src.name}: bin ${name} -> ${file} is missing`);
    fs.mkdirSync(path.join(out, path.dirname(file)), { recursive: true });
    fs.copyFileSync(path.join(dir, file), path.join(out, file));
    fs.chmodSync(path.join(out, file), 0o755);
  }
  const manifest = userManifest(project, src, dir, readVersions());
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return out;
}

let versions;
/** Versions of the workspace's projects, so a dependency on a sibling names the version packed with it. */
function readVersions() {
  if (!versions) {
    versions = {};
    for (const p of PROJECTS) {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, p.dir, 'package.json'), 'utf8'));
      versions[pkg.name] = pkg.version;
    }
  }
  return versions;
}

/** Runs `npm pack` in a staged folder; returns the tarball's absolute path. */
function npmPack(staged, tarballs) {
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', tarballs], {
    cwd: staged,
    encoding: 'utf8',
    env: { ...process.env, npm_config_ignore_scripts: 'true', npm_config_workspaces: 'false' },
  });
  if (r.status !== 0) throw new Error(`pack: npm pack in ${staged} failed:\n${r.stderr}`);
  const info = JSON.parse(r.stdout)[0];
  return path.join(tarballs, info.filename);
}

/** Lists a tarball and returns the names of files that must not ship (tests, TypeScript sources). */
function forbiddenEntries(tarball) {
  const r = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pack: tar -tzf ${tarball} failed: ${r.stderr}`);
  const entries = r.stdout.split('\n').filter(Boolean);
  return {
    entries,
    bad: entries.filter(
      (e) =>
        /\.(test|spec)\.[cm]?[jt]s$/.test(e) ||
        (/\.[cm]?ts$/.test(e) && !/\.d\.[cm]?ts$/.test(e)) ||
        /(^|\/)(src|tests|__tests__|node_modules)\//.test(e.replace(/^package\//, '')),
    ),
  };
}

/** Packs the given projects (default all); returns [{ name, tarball, files }]. */
function packAll({ out = path.join(root, 'build'), only = [] } = {}) {
  const stagingRoot = path.join(out, 'pack');
  const tarballs = path.join(out, 'tarballs');
  fs.mkdirSync(tarballs, { recursive: true });
  const chosen = only.length ? PROJECTS.filter((p) => only.some((o) => p.dir.endsWith(o))) : PROJECTS;
  if (only.length && chosen.length !== only.length) {
    throw new Error(
      `pack: unknown project in ${only.join(', ')}; known: ${PROJECTS.map((p) => path.basename(p.dir)).join(', ')}`,
    );
  }
  const results = [];
  for (const project of chosen) {
    const staged = stage(project, stagingRoot);
    const tarball = npmPack(staged, tarballs);
    const { entries, bad } = forbiddenEntries(tarball);
    if (bad.length)
      throw new Error(`pack: ${path.basename(tarball)} contains files users must not get: ${bad.join(', ')}`);
    const bytes = fs.statSync(tarball).size;
    console.log(
      `pack: ${path.relative(process.cwd(), tarball)} (${entries.length} files, ${(bytes / 1024).toFixed(0)} KiB)`,
    );
    results.push({ dir: project.dir, tarball, files: entries.length, bytes });
  }
  return results;
}

module.exports = { packAll, forbiddenEntries };

if (require.main === module) {
  const args = process.argv.slice(2);
  let out;
  const only = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = path.resolve(args[++i] ?? '');
    else only.push(args[i]);
  }
  try {
    packAll({ out, only });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

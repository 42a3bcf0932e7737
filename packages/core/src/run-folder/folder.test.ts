import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { earlierRun, prepareResultsDir, ResultsExistError, writeFileAtomic, writeJson } from './folder';

describe('results folder', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-results-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates a missing folder and accepts an empty one', () => {
    const dir = path.join(root, 'results', 'heat');
    prepareResultsDir(dir, false);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    prepareResultsDir(dir, false); // still empty: fine
  });

  it('refuses to overwrite an earlier run without force, naming the folder and the flag', () => {
    const dir = path.join(root, 'heat');
    fs.mkdirSync(dir);
    writeJson(path.join(dir, 'metrics.json'), { relL2: 1e-3 });
    expect(earlierRun(dir)).toEqual(['metrics.json']);
    expect(() => prepareResultsDir(dir, false)).toThrow(ResultsExistError);
    expect(() => prepareResultsDir(dir, false)).toThrow(
      `${dir} already holds a run (metrics.json). Re-run with --force to overwrite it`,
    );
    expect(fs.existsSync(path.join(dir, 'metrics.json'))).toBe(true); // untouched
  });

  it('with force removes only the run artifacts, keeping other files and the kept input', () => {
    const dir = path.join(root, 'run1');
    fs.mkdirSync(path.join(dir, 'checkpoint'), { recursive: true });
    for (const f of ['metrics.json', 'report.html', 'config.json', 'notes.md', 'checkpoint/w.json'])
      fs.writeFileSync(path.join(dir, f), 'x');
    prepareResultsDir(dir, true, [path.join(dir, 'config.json')]);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'notes.md']);
  });

  it('a bare config.json (as a sweep writes it) is not an earlier run', () => {
    const dir = path.join(root, 'sweep-run');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    expect(earlierRun(dir)).toEqual([]);
    expect(() => prepareResultsDir(dir, false, [path.join(dir, 'config.json')])).not.toThrow();
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(true);
  });

  it('writeJson writes non-finite numbers as null and typed arrays as arrays', () => {
    const f = path.join(root, 'm.json');
    writeJson(f, { a: NaN, b: Infinity, c: new Float64Array([1, 2]), d: 0.5 });
    expect(JSON.parse(fs.readFileSync(f, 'utf8'))).toEqual({ a: null, b: null, c: [1, 2], d: 0.5 });
  });

  it('writeFileAtomic replaces a file whole and leaves no temporary file, even when the write fails', () => {
    const f = path.join(root, 'sub', 'state.json');
    writeFileAtomic(f, 'one');
    writeFileAtomic(f, new Uint8Array([116, 119, 111]));
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    fs.mkdirSync(path.join(root, 'sub', 'dir.json'));
    expect(() => writeFileAtomic(path.join(root, 'sub', 'dir.json'), 'x')).toThrow(); // a folder cannot be replaced
    expect(fs.readdirSync(path.join(root, 'sub')).sort()).toEqual(['dir.json', 'state.json']);
  });

  it('an app names its own artifacts and the markers of an earlier run (a sweep config.json is neither taken nor removed)', () => {
    const dir = path.join(root, 'app-run');
    fs.mkdirSync(path.join(dir, 'model'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    const artifacts = ['config.json', 'metrics.json', 'model', 'log.txt'];
    expect(() =>
      prepareResultsDir(dir, false, [path.join(dir, 'config.json')], artifacts, ['metrics.json', 'model']),
    ).toThrow(`${dir} already holds a run (model)`);
    prepareResultsDir(dir, true, [path.join(dir, 'config.json')], artifacts, ['metrics.json', 'model']);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });
});

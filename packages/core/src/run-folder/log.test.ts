import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openRunLog } from './log';

describe('run log', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'aml-runlog-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const STAMP = /^\[ {0,6}\d+\.\d s\] /;

  it('echoes each line as given and writes it to the file behind a seconds stamp', () => {
    const echoed: string[] = [];
    const file = path.join(root, 'log.txt');
    const log = openRunLog(file, { echo: (t) => echoed.push(t) });
    log.line('training');
    log.line('step 10 loss 0.5');
    log.close();
    expect(echoed).toEqual(['training', 'step 10 loss 0.5']);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3); // two lines and the final newline
    expect(lines[2]).toBe('');
    expect(lines[0]).toMatch(STAMP);
    expect(lines[0].replace(STAMP, '')).toBe('training');
    expect(lines[1].replace(STAMP, '')).toBe('step 10 loss 0.5');
  });

  it('a new log replaces the old one; append (a resumed run) keeps it', () => {
    const file = path.join(root, 'log.txt');
    fs.writeFileSync(file, 'earlier\n');
    const resumed = openRunLog(file, { echo: null, append: true });
    resumed.line('resumed');
    resumed.close();
    expect(fs.readFileSync(file, 'utf8').split('\n').slice(0, 1)).toEqual(['earlier']);
    expect(fs.readFileSync(file, 'utf8').split('\n')[1].replace(STAMP, '')).toBe('resumed');
    const fresh = openRunLog(file, { echo: null });
    fresh.line('new');
    fresh.close();
    expect(fs.readFileSync(file, 'utf8').replace(STAMP, '')).toBe('new\n');
  });

  it('with no file, lines only go to the echo', () => {
    const echoed: string[] = [];
    const log = openRunLog(null, { echo: (t) => echoed.push(t) });
    log.line('only here');
    log.close();
    expect(echoed).toEqual(['only here']);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});

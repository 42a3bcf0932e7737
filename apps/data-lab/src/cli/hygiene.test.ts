/**
 * Input hygiene and pre-flight checks of `data-lab analyze`, in process: each bad input stops with one message
 * that names the place (file:line:col, option or column) and the fix, and leaves no results folder behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { initBackend, Rng } from '@aml/core';
import { formatCsv, tabularDataset } from '@aml/data';
import { buildProgram } from './program';
import { errorMessage } from './errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-lab-hygiene-'));
const results = path.join(dir, 'results');
const cli = (...args: string[]) =>
  buildProgram({ out: () => undefined })
    .exitOverride()
    .parseAsync(args, { from: 'user' });
const common = ['--results', results, '--folds', '2', '--quick', '--quiet', '--backend', 'wasm'];
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
/** 30 rows of a linear rule: x1..x3, y. */
const rows = (n = 30) =>
  Array.from(
    { length: n },
    (_, i) => `${(i % 7) / 3},${(i % 5) - 2},${i / 10},${(2 * (i % 7)) / 3 - ((i % 5) - 2) + i / 20}`,
  );
const good = () => ['x1,x2,x3,y', ...rows()].join('\n') + '\n';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The run rejects with a message containing `msg`, and nothing was written under results/. */
async function rejectsCleanly(args: string[], msg: string): Promise<void> {
  await expect(cli(...args)).rejects.toThrow(msg);
  expect(fs.existsSync(results) ? fs.readdirSync(results) : []).toEqual([]);
}

describe('non-finite cells', () => {
  const lines = good().split('\n');
  lines[4] = lines[4].replace(/^[^,]+/, '1e400'); // file line 5, column 1
  const f = write('inf.csv', lines.join('\n'));

  it('are rejected at file:line:col by default, naming the flag that keeps them', async () => {
    await rejectsCleanly(
      ['analyze', f, '--target', 'y', ...common],
      `${f}:5:1: column 'x1' has the non-finite value '1e400' (reads as Infinity); expected a finite number; fix the cell, leave it empty to mark it missing, or keep infinities with --allow-nonfinite`,
    );
  });

  it('are kept with --allow-nonfinite', async () => {
    await cli('analyze', f, '--target', 'y', ...common, '--allow-nonfinite', '--drop', 'x1', '--name', 'inf-kept');
    expect(JSON.parse(fs.readFileSync(path.join(results, 'inf-kept', 'metrics.json'), 'utf8'))).toMatchObject({
      status: 'completed',
      features: ['x2', 'x3'],
    });
    fs.rmSync(results, { recursive: true, force: true });
  });
});

describe('constant columns', () => {
  it('a constant feature is named in a warning and left out', async () => {
    const f = write('const-feature.csv', ['x1,c,x2,x3,y', ...rows().map((r) => r.replace(',', ',5,'))].join('\n'));
    await cli('analyze', f, '--target', 'y', ...common);
    const res = path.join(results, 'const-feature');
    expect(fs.readFileSync(path.join(res, 'log.txt'), 'utf8')).toContain(
      "warning: column 'c' is constant (5 in every row with a value): it carries no information and is left out",
    );
    expect(JSON.parse(fs.readFileSync(path.join(res, 'metrics.json'), 'utf8')).features).toEqual(['x1', 'x2', 'x3']);
    fs.rmSync(results, { recursive: true, force: true });
  });

  it.each([
    [
      '2-row constant regression target',
      'x,y\n1,3\n2,3\n',
      [],
      "target 'y' has the same value (3) in all 2 rows: there is nothing to predict",
    ],
    ['single-class target', 'x,y\n1,a\n2,a\n3,a\n', [], "target 'y' has a single class ('a') in all 3 rows"],
  ])('%s is an error before anything is written', async (_name, text, extra, msg) => {
    await rejectsCleanly(['analyze', write('const-target.csv', text), '--target', 'y', ...common, ...extra], msg);
  });
});

describe('column types and targets', () => {
  const typo = ['id,x1,x2,x3,y', ...rows().map((r, i) => `${i === 12 ? 'A-17' : 100 + i},${r}`)].join('\n');
  const f = write('typo.csv', typo);

  it('a text cell in a numeric column names --types, which the CLI accepts', async () => {
    await rejectsCleanly(
      ['analyze', f, '--target', 'y', ...common],
      `${f}:14:1: column 'id' is numeric (29 of 30 values) but this cell is 'A-17'; expected a number or a missing-value marker`,
    );
    await expect(cli('analyze', f, '--target', 'y', ...common)).rejects.toThrow(
      'force the column to text with --types id=string',
    );
    await cli('analyze', f, '--target', 'y', ...common, '--types', 'id=string', '--drop', 'id', '--name', 'typed');
    expect(JSON.parse(fs.readFileSync(path.join(results, 'typed', 'config.json'), 'utf8')).types).toBe('id=string');
    fs.rmSync(results, { recursive: true, force: true });
  });

  it.each([
    [
      '--types on a column not in the file',
      ['--types', 'id=string,zip=string'],
      "--types names column 'zip', which is not in the file; expected one of: id, x1, x2, x3, y",
    ],
    ['--types with a bad type', ['--types', 'id=text'], '--types must be column=type pairs'],
    [
      'a text target with --task regression',
      ['--types', 'id=string,y=string', '--task', 'regression'],
      "target 'y' holds text (e.g. '",
    ],
  ])('%s', async (_name, extra, msg) => {
    await rejectsCleanly(['analyze', f, '--target', 'y', ...common, ...extra], msg);
  });
});

describe('pre-flight: options and folders', () => {
  const f = write('good.csv', good());
  it.each([
    [['--folds', '1'], '--folds must be an integer >= 2'],
    [['--folds', '40'], '--folds 40 needs at least 40 rows with a target'],
    [['--epochs', '0'], '--epochs must be a positive integer, got 0'],
    [['--epochs', 'ten'], '--epochs must be a positive integer, got "ten"'],
    [['--seed', '1.5'], '--seed must be an integer, got 1.5'],
    [['--lr', '-1'], '--lr must be a finite number > 0, got -1'],
    [['--hidden', '32,0'], '--hidden must be comma-separated positive widths'],
    [['--max-train-rows', '0'], '--max-train-rows must be a positive integer'],
    [['--window', '0'], '--window must be a positive integer'],
    [['--name', '../up'], "--name '../up' must be a plain folder name"],
    [['--resume'], '--resume: results/good holds no interrupted run'.replace('results', results)],
    [['--resume', '--force'], '--resume continues a run and --force starts it over'],
  ])('%j', async (extra, msg) => {
    await rejectsCleanly(
      [
        'analyze',
        f,
        '--target',
        'y',
        ...common.filter((a, i, all) => !(extra.includes('--folds') && (a === '--folds' || all[i - 1] === '--folds'))),
        ...extra,
      ],
      msg,
    );
  });

  it('a data path that is a folder, or a results path that is a file, is named with the fix', async () => {
    await rejectsCleanly(
      ['analyze', dir, '--target', 'y', ...common],
      `${dir}: is a folder; expected a path to a CSV or JSON file`,
    );
    const file = write('taken', 'x');
    await expect(cli('analyze', f, '--target', 'y', ...common, '--out', file)).rejects.toThrow(
      `${file} is a file, not a folder; choose another --name or --out`,
    );
  });

  it('Node file-system errors become sentences without a doubled prefix', () => {
    const e = Object.assign(new Error("EACCES: permission denied, mkdir '/root/x'"), {
      code: 'EACCES',
      path: '/root/x',
    });
    expect(errorMessage(e)).toBe(
      'cannot write /root/x: permission denied; choose a folder you can write to with --results or --out',
    );
    expect(errorMessage(new Error('data-lab: boom'))).toBe('boom');
    expect(errorMessage(new Error("fitImputer: column 'x' has no values"))).toBe("column 'x' has no values"); // no internal names
    expect(errorMessage(new Error('analyze: invalid options'))).toBe('analyze: invalid options');
  });
});

describe('malformed CSVs (property)', () => {
  type Fault = 'ragged' | 'text' | 'inf' | 'quote';
  it('every one exits with a one-line message naming its line and leaves no results folder', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 20, max: 60 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom<Fault>('ragged', 'text', 'inf', 'quote'),
        async (n, at, fault) => {
          const data = rows(n);
          const k = at % n; // data row k is file line k + 2
          data[k] =
            fault === 'ragged'
              ? `${data[k]},7`
              : fault === 'text'
                ? data[k].replace(/,[^,]+,/, ',oops,')
                : fault === 'inf'
                  ? data[k].replace(/,[^,]+$/, ',-inf')
                  : data[k].replace(/^/, '"');
          const f = write(`bad-${fault}.csv`, ['x1,x2,x3,y', ...data].join('\n') + '\n');
          let message = '';
          await cli('analyze', f, '--target', 'y', ...common).then(
            () => undefined,
            (e: Error) => (message = e.message),
          );
          const line = k + 2;
          expect(message).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}(:\\d+)?: `));
          expect(message).not.toContain('\n');
          expect(fs.existsSync(results)).toBe(false);
        },
      ),
      { numRuns: 24, seed: 7 },
    );
  });
});

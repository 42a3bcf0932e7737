/**
 * Runs that survive interruption, end to end with the real CLI in child processes: kill -9 after a checkpoint
 * then --resume gives the scores of an uninterrupted run; SIGINT and SIGTERM save the state, write status
 * 'interrupted', print the resume command and exit 130 / 143.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '@aml/core';
import { seasonalSeries, tabularDataset, writeCsv } from '@aml/data';

const REPO = path.resolve(__dirname, '../../../..');
const MAIN = path.join(REPO, 'apps/data-lab/src/main.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-lab-resume-'));
const data = path.join(dir, 'reg.csv');
// 3 folds, MLP 40 epochs of 17 batches: a few seconds per fold, so a signal lands mid-run.
const args = (out: string) => [
  'analyze',
  data,
  '--target',
  'y',
  '--out',
  out,
  '--folds',
  '3',
  '--epochs',
  '40',
  '--batch-size',
  '8',
  '--hidden',
  '16',
  '--seed',
  '5',
  '--backend',
  'wasm',
  '--quiet',
];
const env = { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') };
const node = (a: string[]) => [process.execPath, ['-r', require.resolve('ts-node/register'), MAIN, ...a]] as const;

function runSync(a: string[]) {
  const [cmd, argv] = node(a);
  return spawnSync(cmd, argv, { env, encoding: 'utf8', timeout: 150_000 });
}

function start(a: string[]): {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const [cmd, argv] = node(a);
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b) => (err += b));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  return { child, stderr: () => err, exit };
}

// A forecast: 3 forward-chaining folds of naive, ridge, MLP and LSTM (12 epochs) on 150 hourly values, windows of 8.
const series = path.join(dir, 'series.csv');
const forecastArgs = (out: string) => [
  'analyze',
  series,
  '--target',
  'value',
  '--time',
  'time',
  '--window',
  '8',
  ...args(out)
    .slice(4)
    .map((a) => (a === '40' ? '12' : a)),
];

/** Wait until the run's checkpoint lists at least `n` finished fits. */
async function finishedFits(out: string, n: number): Promise<void> {
  const file = path.join(out, 'checkpoint', 'state.json');
  for (let i = 0; i < 4800; i++) {
    // up to 4 minutes: the machine may be shared
    try {
      const s = JSON.parse(fs.readFileSync(file, 'utf8')) as { folds: string[] };
      if (s.folds.length >= n) return;
    } catch {
      /* not written yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no checkpoint with ${n} fits in ${out}`);
}

const metrics = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
/** Scores without timings (which differ between runs). */
const scores = (m: { models: unknown; perFold: Record<string, unknown>[] }) => ({
  models: m.models,
  perFold: m.perFold.map((f) =>
    Object.fromEntries(
      Object.entries(f).map(([k, v]) => [
        k,
        typeof v === 'object' ? { ...(v as object), seconds: 0, cpuSeconds: 0 } : v,
      ]),
    ),
  ),
});

/**
 * Same scores: bit for bit for the ridge baseline (float64, closed form); the MLP's to float32 round-off
 * (relative 1e-5), since the WASM kernels' summation order can follow the memory layout of a process.
 */
function expectSameScores(got: ReturnType<typeof scores>, want: ReturnType<typeof scores>): void {
  const walk = (a: unknown, b: unknown, at: string): void => {
    if (typeof b === 'number' && typeof a === 'number') {
      if (at.includes('linear')) expect([at, a]).toEqual([at, b]);
      else expect([at, Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b))]).toEqual([at, true]);
      return;
    }
    if (b && typeof b === 'object') {
      expect(Object.keys(a as object).sort()).toEqual(Object.keys(b).sort());
      for (const [k, v] of Object.entries(b)) walk((a as Record<string, unknown>)[k], v, `${at}.${k}`);
      return;
    }
    expect(a).toEqual(b);
  };
  walk(got, want, 'metrics');
}

let reference: ReturnType<typeof scores>;

beforeAll(() => {
  writeCsv(series, seasonalSeries(150, new Rng(3)));
  writeCsv(data, tabularDataset('nonlinear-regression', 200, new Rng(3)).table);
  const r = runSync(args(path.join(dir, 'reference')));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const m = metrics(path.join(dir, 'reference'));
  expect(m.status).toBe('completed');
  expect(fs.existsSync(path.join(dir, 'reference', 'checkpoint'))).toBe(false); // a completed run drops its checkpoint
  reference = scores(m);
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the command', () => {
  it('--version prints the package version; an error is one line, prefixed once, exit 1', () => {
    const v = runSync(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(
      `${JSON.parse(fs.readFileSync(path.join(REPO, 'apps/data-lab/package.json'), 'utf8')).version}\n`,
    );
    const e = runSync(['analyze', dir, '--target', 'y']);
    expect(e.status).toBe(1);
    expect(e.stderr).toBe(`data-lab: ${dir}: is a folder; expected a path to a CSV or JSON file\n`);
  }, 60_000);
});

describe('checkpoint and resume', () => {
  it('kill -9 after a checkpoint, then --resume: the same scores as the uninterrupted run', async () => {
    const out = path.join(dir, 'killed');
    const run = start(args(out));
    await finishedFits(out, 2); // fold 1: linear and mlp
    run.child.kill('SIGKILL');
    expect((await run.exit).signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(out, 'metrics.json'))).toBe(false); // died without a word
    // without --resume the folder is protected, and the message says how to continue
    const again = runSync(args(out));
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(
      `data-lab: ${out} holds an interrupted run; continue it with --resume, or start over with --force\n`,
    );
    const r = runSync([...args(out), '--resume']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = metrics(out);
    expect(m.status).toBe('completed');
    expectSameScores(scores(m), reference);
    expect(fs.readFileSync(path.join(out, 'log.txt'), 'utf8')).toMatch(/resuming: [2-9] fits already done/);
    // a completed run has nothing to resume
    const done = runSync([...args(out), '--resume']);
    expect(done.status).toBe(1);
    expect(done.stderr).toContain('already completed; nothing to resume');
  }, 400_000);

  it('a resume with other options is refused, naming the option', async () => {
    const out = path.join(dir, 'changed');
    const run = start(args(out));
    await finishedFits(out, 1);
    run.child.kill('SIGKILL');
    await run.exit;
    const r = runSync([...args(out).map((a) => (a === '5' ? '6' : a)), '--resume']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--resume: this run differs from the interrupted one in seed: 5 then, 6 now');
  }, 300_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s saves the state, writes status interrupted, prints the resume command and exits %i',
    async (signal, code) => {
      const out = path.join(dir, signal);
      const run = start(args(out));
      await finishedFits(out, 1);
      run.child.kill(signal);
      expect((await run.exit).code).toBe(code);
      const m = metrics(out);
      expect(m).toMatchObject({ status: 'interrupted', signal });
      expect(m.resume).toContain('--resume');
      expect(run.stderr()).toContain(`data-lab: ${signal}: stopping after the current step and saving a checkpoint`);
      expect(run.stderr()).toContain(
        `data-lab: interrupted by ${signal}; finished fits are saved in ${out}; continue with: data-lab analyze ${data} --target y`,
      );
      if (signal === 'SIGINT') {
        const r = runSync([...args(out), '--resume']);
        expect(r.status).toBe(0);
        expectSameScores(scores(metrics(out)), reference);
      }
    },
    400_000,
  );
});

describe('forecast runs', () => {
  it('kill -9 after a checkpoint, then --resume: the scores of an uninterrupted run; SIGINT exits 130, resumable', async () => {
    const ref = runSync(forecastArgs(path.join(dir, 'forecast-ref')));
    expect(ref.stderr).toBe('');
    expect(ref.status).toBe(0);
    const want = metrics(path.join(dir, 'forecast-ref'));
    expect(want).toMatchObject({ status: 'completed', task: 'forecast' });
    expect(fs.existsSync(path.join(dir, 'forecast-ref', 'checkpoint'))).toBe(false);

    const out = path.join(dir, 'forecast-killed');
    const run = start(forecastArgs(out));
    await finishedFits(out, 5); // fold 1's four models and fold 2's naive
    run.child.kill('SIGKILL');
    expect((await run.exit).signal).toBe('SIGKILL');
    const r = runSync([...forecastArgs(out), '--resume']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectSameScores(scores(metrics(out)), scores(want));
    expect(fs.readFileSync(path.join(out, 'log.txt'), 'utf8')).toMatch(/resuming: ([5-9]|1\d) fits already done/);

    const outInt = path.join(dir, 'forecast-SIGINT');
    const int = start(forecastArgs(outInt));
    await finishedFits(outInt, 1);
    int.child.kill('SIGINT');
    expect((await int.exit).code).toBe(130);
    expect(metrics(outInt)).toMatchObject({ status: 'interrupted', signal: 'SIGINT' });
    expect(int.stderr()).toContain(
      `data-lab: interrupted by SIGINT; finished fits are saved in ${outInt}; continue with:`,
    );
    const resumed = runSync([...forecastArgs(outInt), '--resume']);
    expect(resumed.status).toBe(0);
    expectSameScores(scores(metrics(outInt)), scores(want));
  }, 600_000);
});

describe('Ctrl-C during the linear baseline', () => {
  it('is honoured inside its fits: no fit of the first fold finishes after the signal', async () => {
    // 4,000 x 40 with 3 classes: logistic regression's nested CV on a fold takes seconds (300 iterations per fit)
    const wide = path.join(dir, 'wide.csv');
    writeCsv(wide, tabularDataset('nonlinear-classification', 4000, new Rng(4), { features: 40 }).table);
    const out = path.join(dir, 'linear-SIGINT');
    const run = start(['analyze', wide, ...args(out).slice(2)]);
    const log = path.join(out, 'log.txt');
    // the run has started its first fold once log.txt names the task
    for (let i = 0; i < 2400 && !/task /.test(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''); i++)
      await new Promise((r) => setTimeout(r, 50));
    run.child.kill('SIGINT');
    expect((await run.exit).code).toBe(130);
    expect(metrics(out)).toMatchObject({ status: 'interrupted', signal: 'SIGINT' });
    // the signal stopped the linear (or the forest's) fits of fold 1: before the MLP there was no check
    const state = path.join(out, 'checkpoint', 'state.json');
    const folds = fs.existsSync(state) ? (JSON.parse(fs.readFileSync(state, 'utf8')) as { folds: string[] }).folds : [];
    expect(folds.filter((k) => k !== '0/linear')).toEqual([]);
  }, 300_000);
});

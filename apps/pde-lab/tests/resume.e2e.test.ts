/**
 * Real processes: a run killed with SIGKILL after a checkpoint and resumed with --resume ends with the
 * same metrics as a run never stopped (same seed: equal losses and errors); SIGINT makes a run save,
 * write status 'interrupted', say how to resume and exit 130; SIGTERM exits 143; bad input exits 1
 * with one message. Each child is `ts-node src/main.ts` on a tiny problem (seconds of training).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readManifest } from '@aml/core/node';
import { removeDir, tempDir } from '../src/testing/tmp';
import { tinyHeat } from '../src/testing/tiny';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'apps/pde-lab/src/main.ts');
const TS_NODE = path.join(ROOT, 'node_modules/.bin/ts-node');

/** Start `pde-lab args...` in a child process (stderr collected). */
function start(args: string[]): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(TS_NODE, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const exit = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  return { child, stderr: () => err, exit };
}

/** Wait until the checkpoint in `dir` holds at least `step` steps (polling), or fail after `ms`. */
async function waitForCheckpoint(dir: string, step: number, ms = 90_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      const m = readManifest(dir);
      if (m && m.step >= step) return m.step;
    } catch {
      // a manifest is replaced atomically; a read during the rename may miss it: try again
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no checkpoint with ${step} steps in ${dir} after ${ms} ms`);
}

const metricsOf = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
/** What must agree between a resumed run and an uninterrupted one. */
const numbers = (m: Record<string, any>) => ({
  status: m.status,
  steps: m.steps,
  finalLoss: m.finalLoss,
  finalTerms: m.finalTerms,
  errors: m.errors,
  phases: m.phases.map((p: any) => [p.name, p.steps]),
});

describe('pde-lab run in a child process: kill, resume, signals', () => {
  let root: string;
  let config: string;
  beforeAll(() => {
    root = tempDir();
    config = path.join(root, 'long.json');
    // 1500 Adam steps of a 1x8 network on 32 points: seconds, long enough to kill in the middle
    fs.writeFileSync(
      config,
      JSON.stringify(tinyHeat((p) => ((p.training.adam.steps = 1500), (p.training.lbfgs = { steps: 20 })))),
    );
  });
  afterAll(() => removeDir(root));

  it('kill -9 after a checkpoint, then --resume: the same final metrics as an uninterrupted run', async () => {
    const whole = path.join(root, 'whole');
    const killed = path.join(root, 'killed');
    const flags = ['--backend', 'wasm', '--checkpoint-every', '100'];
    const a = start(['run', config, '--out', whole, ...flags]);
    const b = start(['run', config, '--out', killed, ...flags]);
    const at = await waitForCheckpoint(path.join(killed, 'checkpoint'), 300);
    b.child.kill('SIGKILL');
    expect(await b.exit).toBeNull(); // killed by the signal
    expect(fs.existsSync(path.join(killed, 'metrics.json'))).toBe(false);
    expect(await a.exit).toBe(0);
    const c = start(['run', config, '--out', killed, '--resume', ...flags]);
    expect(await c.exit).toBe(0);
    const [mw, mk] = [metricsOf(whole), metricsOf(killed)];
    expect(mk.resumedAt).toBeGreaterThanOrEqual(at);
    expect(mk.resumedAt).toBeLessThan(1500);
    expect(numbers(mk)).toEqual(numbers(mw));
    expect(mw.status).toBe('completed');
    expect(mw.steps).toBe(1520);
    expect(fs.readFileSync(path.join(killed, 'log.txt'), 'utf8')).toMatch(/resume tiny/);
  }, 240_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s: finishes the step, saves, writes status interrupted, says how to resume, exits %i',
    async (sig, code) => {
      const out = path.join(root, sig);
      const p = start(['run', config, '--out', out, '--backend', 'wasm', '--checkpoint-every', '100']);
      await waitForCheckpoint(path.join(out, 'checkpoint'), 100);
      p.child.kill(sig);
      expect(await p.exit).toBe(code);
      const m = metricsOf(out);
      expect(m.status).toBe('interrupted');
      expect(m.steps).toBeGreaterThanOrEqual(100);
      expect(m.steps).toBeLessThan(1520);
      expect(readManifest(path.join(out, 'checkpoint'))!.step).toBe(m.steps); // the checkpoint is the state metrics describe
      expect(p.stderr()).toContain(
        `pde-lab: interrupted (${sig}) after ${m.steps} steps; checkpoint saved in ${path.join(out, 'checkpoint')}. Resume with: pde-lab run ${config} --resume --out ${out}`,
      );
    },
    120_000,
  );

  it('bad input exits 1 with one message and no stack; no experiment is not a silent exit; --version exits 0', () => {
    const run = (...args: string[]) => spawnSync(TS_NODE, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });
    const none = run('run');
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(
      'pde-lab: run: name an experiment (see pde-lab list) or give --config <file>, e.g. pde-lab run heat\n',
    );
    const v = run('--version');
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 60_000);
});

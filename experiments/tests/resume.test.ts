/**
 * Runs that survive interruption (experiments/common.ts): real scripts in child processes, killed with
 * SIGKILL after a checkpoint and resumed, end with the metrics of a run never stopped (same seed); SIGINT
 * saves, writes status 'interrupted', says how to resume and exits 130. A multi-part run keeps its finished
 * parts; a resume with other settings, or with nothing saved, is refused with the fix.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { adam, initBackend, Rng, tf } from '@aml/core';
import { readManifest } from '@aml/core/node';
import { InterruptedError, parseFlags, Results, resumeCommandFor } from '../common';
import { run as isingModels } from '../generative/ising-models';
import { config as ljGnnConfig } from '../nn/lj-gnn';
import { ddpmSettings } from '../generative/ising/ddpm';
import { vaeSettings } from '../generative/ising/vae';
import { run as toys2d } from '../generative/toys2d';

const REPO = path.resolve(__dirname, '../..');
const env = { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exp-resume-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const node = (script: string, args: string[]) =>
  [process.execPath, ['-r', require.resolve('ts-node/register'), path.join('experiments', script), ...args]] as const;

function runSync(script: string, args: string[]) {
  const [cmd, argv] = node(script, args);
  return spawnSync(cmd, argv, { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
}

function start(script: string, args: string[]) {
  const [cmd, argv] = node(script, args);
  const child: ChildProcess = spawn(cmd, argv, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b) => (err += b));
  child.stdout!.resume();
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stderr: () => err, exit };
}

/** Wait (up to 2 minutes: the machine may be shared) until `file` exists. */
async function appears(file: string): Promise<void> {
  for (let i = 0; i < 4800; i++) {
    if (fs.existsSync(file)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${file} never appeared`);
}

const metrics = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
/** Metrics without wall times (which differ between runs). */
function results(m: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(m), (k, v) => (/seconds|persecond/i.test(k) ? undefined : v));
}

// lj-gnn --quick with 200 full-batch steps: about 1.5 s of training, a checkpoint every 10 steps.
const LJ = 'nn/lj-gnn.ts';
const ljArgs = (out: string) => ['--quick', '--steps', '200', '--checkpoint-every', '10', '--no-report', '--out', out];
/** The same run's options and config, for the checks made in this process. */
const ljOptions = (out: string) => ({ ...parseFlags(ljArgs(out)), outDir: out, verbose: false });
const ljConfig = { ...ljGnnConfig(true), steps: 200 };

describe('experiment scripts: checkpoints, resume, signals (child processes)', () => {
  let reference: Record<string, unknown>;
  beforeAll(() => {
    const r = runSync(LJ, ljArgs(path.join(tmp, 'lj-ref')));
    expect(r.status).toBe(0);
    reference = metrics(path.join(tmp, 'lj-ref'));
  }, 180_000);

  it('lj-gnn killed with SIGKILL after a checkpoint resumes to the losses and errors of a run never stopped', async () => {
    expect(reference.status).toBe('completed');
    expect((reference.training as { model: { steps: number } }).model.steps).toBe(200);
    const out = path.join(tmp, 'lj-kill');
    const run = start(LJ, ljArgs(out));
    await appears(path.join(out, 'checkpoint', 'model', 'manifest.json'));
    run.child.kill('SIGKILL');
    await run.exit;
    const saved = readManifest(path.join(out, 'checkpoint', 'model'))!.step;
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(200); // really stopped mid-run
    // a fresh run over it is refused (checked in process: the same constructor the script calls)
    expect(() => new Results('lj-gnn', ljOptions(out))).toThrow(/already holds a run .*--force/);
    const r = runSync(LJ, [...ljArgs(out), '--resume']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`model: resuming from the checkpoint of step ${saved}`);
    const m = metrics(out);
    expect(results(m)).toEqual(results(reference));
    // a completed run has nothing to resume
    expect(() => new Results('lj-gnn', { ...ljOptions(out), resume: true }, ljConfig)).toThrow(
      `--resume: the run in ${out} has completed; nothing to resume (run it again with --force)`,
    );
  }, 180_000);

  it('SIGINT finishes the step, saves a checkpoint, writes status interrupted, prints the resume command, exits 130', async () => {
    const out = path.join(tmp, 'lj-int');
    const run = start(LJ, ljArgs(out));
    await appears(path.join(out, 'checkpoint', 'model', 'manifest.json'));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    const m = metrics(out);
    const step = readManifest(path.join(out, 'checkpoint', 'model'))!.step;
    expect(m.status).toBe('interrupted');
    expect(m.signal).toBe('SIGINT');
    expect(m.step).toBe(step); // the checkpoint holds the last finished step
    expect(step).toBeLessThan(200);
    const resume = `npx ts-node ${path.join('experiments', LJ)} ${ljArgs(out).join(' ')} --resume`;
    expect(m.resume).toBe(resume);
    expect(run.stderr()).toContain(`lj-gnn: SIGINT: stopping after the current step and saving a checkpoint`);
    expect(run.stderr()).toContain(`Resume with: ${resume}`);
    // a new run over an interrupted one points to --resume; a resume with another seed is refused (exit 1)
    expect(() => new Results('lj-gnn', ljOptions(out))).toThrow('holds an interrupted run; continue it with --resume');
    const other = runSync(LJ, [...ljArgs(out), '--seed', '2', '--resume']);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('was started with other settings (seed 1, now 2)');
    expect(runSync(LJ, [...ljArgs(out), '--resume']).status).toBe(0);
    expect(results(metrics(out))).toEqual(results(reference));
  }, 180_000);

  it('oscillator-rnn (one part per cell) killed after its first cell keeps that cell and resumes to the same metrics', async () => {
    const args = (o: string) => ['--quick', '--checkpoint-every', '5', '--no-report', '--out', o];
    const ref = runSync('nn/oscillator-rnn.ts', args(path.join(tmp, 'osc-ref')));
    expect(ref.status).toBe(0);
    const out = path.join(tmp, 'osc-kill');
    const run = start('nn/oscillator-rnn.ts', args(out));
    await appears(path.join(out, 'checkpoint', 'parts.json'));
    run.child.kill('SIGKILL');
    await run.exit;
    const r = runSync('nn/oscillator-rnn.ts', [...args(out), '--resume']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('rnn: finished before the interruption, kept');
    expect(results(metrics(out))).toEqual(results(metrics(path.join(tmp, 'osc-ref'))));
  }, 180_000);
});

/** A three-part experiment of tiny quadratic fits; `abortAt` aborts the signal during part b's step. */
async function threeParts(dir: string, o: { resume?: boolean; signal?: AbortSignal; abortAt?: () => void }) {
  const res = new Results('parts', { outDir: dir, verbose: false, checkpointEvery: 3, ...o }, { parts: 3 });
  const rng = new Rng(4);
  const calls: string[] = [];
  const out: Record<string, number> = {};
  for (const name of ['a', 'b', 'c']) {
    const fork = rng.fork();
    out[name] = await res.part(name, async () => {
      calls.push(name);
      const w = tf.variable(tf.scalar(fork.normal()));
      const opt = adam({ learningRate: 0.05 });
      try {
        await res.train(name, {
          params: { w },
          optimizer: opt,
          steps: 20,
          rng: fork,
          loss: ({ step, rng: r }) => {
            if (name === 'b' && step === 7) o.abortAt?.();
            return tf.square(tf.sub(w, 2 + r.normal())).sum() as tf.Scalar;
          },
        });
        return w.dataSync()[0] + rng.uniform(); // draws from the parent generator after training
      } finally {
        opt.dispose();
        w.dispose();
      }
    }, [rng]);
  }
  return { m: res.finish({ parts: 3 }, out), calls };
}

describe('Results.part and Results.train (in process)', () => {
  it('an interrupted multi-part run resumes without rerunning finished parts, to the same numbers', async () => {
    const want = await threeParts(path.join(tmp, 'p-ref'), {});
    const dir = path.join(tmp, 'p-int');
    const ac = new AbortController();
    await expect(threeParts(dir, { signal: ac.signal, abortAt: () => ac.abort('SIGTERM') })).rejects.toThrow(
      InterruptedError,
    );
    const stopped = metrics(dir);
    expect([stopped.status, stopped.signal, stopped.part, stopped.step]).toEqual(['interrupted', 'SIGTERM', 'b', 8]);
    expect(stopped.finishedParts).toEqual(['a']);
    const got = await threeParts(dir, { resume: true });
    expect(got.calls).toEqual(['b', 'c']); // part a was not run again
    expect(results(got.m)).toEqual(results(want.m));
    expect((got.m.training as unknown as Record<string, { steps: number }>).b.steps).toBe(20);
  });

  it('refuses --resume where nothing was saved, naming the fix; a failed fresh run does not block its folder', async () => {
    const dir = path.join(tmp, 'p-empty');
    const failed = new Results('parts', { outDir: dir, verbose: false }, { parts: 3 });
    await expect(
      failed.part('a', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(() => new Results('parts', { outDir: dir, verbose: false, resume: true }, { parts: 3 })).toThrow(
      `--resume: ${path.join(dir, 'checkpoint')} holds no checkpoint (the run stopped before its first one); start over with --force instead of --resume`,
    );
    expect(() => new Results('parts', { outDir: path.join(tmp, 'none'), verbose: false, resume: true })).toThrow(
      /holds no run to resume .*start it without --resume/,
    );
    failed.abandon(); // what the CLI does after a failure: nothing resumable was saved, so checkpoint/ goes
    expect(fs.existsSync(path.join(dir, 'checkpoint'))).toBe(false);
    expect(() => new Results('parts', { outDir: dir, verbose: false }, { parts: 3 })).not.toThrow();
  });

  it('parses --resume and the checkpoint flags; bad values name the flag and what it takes', () => {
    expect(parseFlags(['--resume', '--checkpoint-every', '50', '--checkpoint-seconds', '2.5'])).toMatchObject({
      resume: true,
      checkpointEvery: 50,
      checkpointSeconds: 2.5,
    });
    expect(() => parseFlags(['--checkpoint-every', '0'])).toThrow(
      '--checkpoint-every must be a whole number of steps >= 1, got 0',
    );
    expect(() => parseFlags(['--resume', '--force'])).toThrow(
      '--resume continues a run and --force starts it over: pass one of them',
    );
    expect(() => parseFlags(['--checkpoint-seconds', '-1'])).toThrow(
      '--checkpoint-seconds must be a number of seconds > 0, got -1',
    );
    expect(resumeCommandFor('experiments/nn/char-lm.ts', ['--text', 'my notes.txt', '--force'])).toBe(
      "npx ts-node experiments/nn/char-lm.ts --text 'my notes.txt' --resume",
    );
  });

  it('ising-models: a DDPM with a parameter EMA stopped mid-training resumes (the VAE before it kept) to the same metrics', async () => {
    const override = {
      models: ['VAE', 'DDPM'] as ('VAE' | 'DDPM')[],
      vae: { ...vaeSettings(true), steps: 10 },
      ddpm: { ...ddpmSettings(true), steps: 30, emaDecay: 0.9 },
    };
    const base = { quick: true, report: false, verbose: false, checkpointEvery: 3, override };
    const want = await isingModels({ ...base, outDir: path.join(tmp, 'im-ref') });
    const dir = path.join(tmp, 'im-int');
    const ac = new AbortController();
    // the trainer yields to the event loop during training, so this sees the first DDPM checkpoint mid-run
    const poll = setInterval(() => {
      if (fs.existsSync(path.join(dir, 'checkpoint', 'T=1.5-DDPM', 'manifest.json'))) ac.abort('SIGINT');
    }, 5);
    try {
      await expect(isingModels({ ...base, outDir: dir, signal: ac.signal })).rejects.toThrow(InterruptedError);
    } finally {
      clearInterval(poll);
    }
    const stopped = metrics(dir);
    expect([stopped.status, stopped.part, stopped.finishedParts]).toEqual(['interrupted', 'T=1.5-DDPM', ['T=1.5-VAE']]);
    expect(stopped.step).toBeLessThan(30);
    const got = await isingModels({ ...base, outDir: dir, resume: true });
    expect(results(got)).toEqual(results(want));
  }, 120_000);

  it('toys2d: an EBM (replay buffer in its checkpoints) stopped mid-training resumes, the GAN before it kept, to the same metrics', async () => {
    const base = {
      quick: true,
      report: false,
      verbose: false,
      checkpointEvery: 4,
      override: { only: ['GAN', 'EBM'], steps: 24 },
    };
    const want = await toys2d({ ...base, outDir: path.join(tmp, 'toys-ref') });
    const dir = path.join(tmp, 'toys-int');
    const ac = new AbortController();
    const poll = setInterval(() => {
      if (fs.existsSync(path.join(dir, 'checkpoint', 'ring8-EBM', 'manifest.json'))) ac.abort('SIGINT');
    }, 5);
    try {
      await expect(toys2d({ ...base, outDir: dir, signal: ac.signal })).rejects.toThrow(InterruptedError);
    } finally {
      clearInterval(poll);
    }
    const stopped = metrics(dir);
    expect([stopped.part, stopped.finishedParts]).toEqual(['ring8-EBM', ['ring8-GAN']]);
    expect(stopped.step).toBeLessThan(24);
    const got = await toys2d({ ...base, outDir: dir, resume: true });
    expect(results(got)).toEqual(results(want));
  }, 120_000);
});

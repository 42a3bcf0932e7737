import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { adam } from '../optim/adam';
import { lbfgs } from '../optim/lbfgs/lbfgs';
import { Rng } from '../random/rng';
import { sgd } from '../optim/sgd';
import { train } from '../train/train';
import {
  checkpointExtra,
  CheckpointWriter,
  loadCheckpoint,
  readManifest,
  restoreCheckpoint,
  saveCheckpoint,
} from './io';
import { runFixture } from './resume-fixture';

let tmp: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  tmp = mkdtempSync(join(tmpdir(), 'aml-ckpt-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const REPO = resolve(__dirname, '../../../..');

/** Run the fixture in a fresh node process (ts-node, SWC transpile-only) and return its history. */
function runFixtureInFreshProcess(args: object): { loss: number[]; steps: number; startStep: number } {
  const script = join(tmp, `child-${Date.now()}.js`);
  writeFileSync(
    script,
    `require(${JSON.stringify(require.resolve('ts-node/register/transpile-only', { paths: [REPO] }))});
const core = require(${JSON.stringify(join(REPO, 'packages/core/src/index.ts'))});
const { runFixture } = require(${JSON.stringify(join(__dirname, 'resume-fixture.ts'))});
(async () => {
  await core.initBackend({ backend: 'wasm', quiet: true });
  const h = await runFixture(${JSON.stringify(args)});
  process.stdout.write(JSON.stringify({ loss: h.loss, steps: h.steps, startStep: h.startStep }));
})().catch((e) => { console.error(e); process.exit(1); });
`,
  );
  const r = spawnSync(process.execPath, [script], {
    env: { ...process.env, TS_NODE_PROJECT: join(REPO, 'tsconfig.json') },
    encoding: 'utf8',
    timeout: 90_000,
  });
  if (r.status !== 0) throw new Error(`child process failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('checkpoint resume', () => {
  it('train 20 == train 10, save, load in a fresh process, train 10 (losses to 1e-6)', async () => {
    const full = await runFixture({ steps: 20 });
    const dir = join(tmp, 'resume', 'checkpoint');
    const first = await runFixture({ steps: 10, checkpointDir: dir, checkpointEvery: 10 });
    expect(readManifest(dir)!.step).toBe(10);
    const resumed = runFixtureInFreshProcess({ steps: 20, resumeFrom: dir });
    expect(resumed.startStep).toBe(10);
    expect(resumed.steps).toBe(20);
    expect(resumed.loss).toHaveLength(20);
    for (let i = 0; i < 10; i++) expect(resumed.loss[i]).toBe(first.loss[i]); // history carried over
    for (let i = 10; i < 20; i++) expect(Math.abs(resumed.loss[i] - full.loss[i])).toBeLessThanOrEqual(1e-6);
    // step 10 is mid-epoch (4 batches per epoch): the resumed run must see the same batches and noise
    expect(full.loss[10]).not.toBe(full.loss[11]);
  });

  it('L-BFGS through the trainer resumes exactly (curvature memory in the checkpoint)', async () => {
    const run = async (steps: number, dir?: string, resumeFrom?: string) => {
      const x0 = tf.tensor1d([-1.2, 1, -1.2, 1, -1.2]);
      const x = tf.variable(x0);
      x0.dispose();
      const f = () => {
        const h = x.slice(0, 4),
          t = x.slice(1, 4);
        return t.sub(h.square()).square().mul(100).add(tf.scalar(1).sub(h).square()).sum() as tf.Scalar;
      };
      const hist = await train({
        params: { x },
        optimizer: lbfgs({ memory: 4 }),
        steps,
        loss: f,
        progress: 'none',
        nanGuard: false,
        checkpoint: dir ? { dir, every: 6 } : undefined,
        resumeFrom,
      });
      x.dispose();
      return hist.loss;
    };
    const full = await run(12);
    const dir = join(tmp, 'lbfgs', 'checkpoint');
    await run(6, dir);
    const resumed = await run(12, undefined, dir);
    expect(resumed).toHaveLength(12);
    for (let i = 6; i < 12; i++) expect(resumed[i]).toBe(full[i]);
    expect(full[11]).toBeLessThan(full[6]);
  });

  it("resuming into the same folder continues that run's checkpoints", async () => {
    const dir = join(tmp, 'continue', 'checkpoint');
    await runFixture({ steps: 10, checkpointDir: dir, checkpointEvery: 5 });
    const id = readManifest(dir)!.runId;
    await runFixture({ steps: 15, checkpointDir: dir, checkpointEvery: 5, resumeFrom: dir });
    const m = readManifest(dir)!;
    expect(m.step).toBe(15);
    expect(m.runId).toBe(id);
    expect(m.history!.loss).toHaveLength(15);
  });
});

describe('checkpoint files', () => {
  const content = (w: tf.Variable, b: tf.Variable, step: number) => ({
    params: [
      ['w', w],
      ['b', b],
    ] as Array<[string, tf.Variable]>,
    step,
  });

  it('writes manifest.json + one float32 little-endian weights file, replacing its previous one', () => {
    const dir = join(tmp, 'files');
    const w = tf.variable(
        tf.tensor2d([
          [1.5, -2],
          [3, 0.25],
        ]),
      ),
      b = tf.variable(tf.tensor1d([7]));
    const writer = new CheckpointWriter(dir);
    writer.write(content(w, b, 3));
    w.assign(
      tf.tensor2d([
        [9, 8],
        [7, 6],
      ]),
    );
    const m = writer.write(content(w, b, 4));
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'weights-00000004.bin']);
    const bytes = readFileSync(join(dir, m.weightsFile));
    expect(bytes.length).toBe(5 * 4);
    expect([0, 1, 2, 3, 4].map((i) => bytes.readFloatLE(4 * i))).toEqual([9, 8, 7, 6, 7]);
    expect(m.tensors.map((t) => [t.key, t.shape, t.offset])).toEqual([
      ['param/w', [2, 2], 0],
      ['param/b', [1], 16],
    ]);
    tf.dispose([w, b]);
  });

  it("never overwrites another run's checkpoint silently", () => {
    const dir = join(tmp, 'taken');
    const w = tf.variable(tf.zeros([2])),
      b = tf.variable(tf.zeros([1]));
    saveCheckpoint(dir, content(w, b, 1));
    expect(() => saveCheckpoint(dir, content(w, b, 2))).toThrow(
      /^checkpoint folder .*taken already holds a checkpoint of another run \(step 1, .*\); resume from it \(resumeFrom\), choose another folder, or pass overwrite: true$/,
    );
    expect(saveCheckpoint(dir, content(w, b, 2), { overwrite: true }).step).toBe(2);
    tf.dispose([w, b]);
  });

  it('restore: mismatched shapes and missing variables are named, and nothing is changed', () => {
    const dir = join(tmp, 'shapes');
    const w = tf.variable(tf.ones([3, 2])),
      b = tf.variable(tf.ones([1]));
    saveCheckpoint(dir, content(w, b, 1));
    const ck = loadCheckpoint(dir);
    const w2 = tf.variable(tf.zeros([4, 2])),
      b2 = tf.variable(tf.zeros([1]));
    expect(() =>
      restoreCheckpoint(ck, {
        params: [
          ['w', w2],
          ['b', b2],
        ],
      }),
    ).toThrow(`checkpoint ${dir}: variable 'w' has shape [3, 2] in the checkpoint but [4, 2] in the model`);
    expect(b2.dataSync()[0]).toBe(0); // checked before anything was assigned
    expect(() => restoreCheckpoint(ck, { params: [['c', b2]] })).toThrow(
      `checkpoint ${dir} has no variable 'c' (it has: w, b)`,
    );
    expect(() => restoreCheckpoint(ck, { params: [['b', b2]], optimizers: { optimizer: adam() } })).toThrow(
      `checkpoint ${dir} has no state for optimizer 'optimizer' (it has: none)`,
    );
    tf.dispose([w, b, w2, b2]);
  });

  it('a truncated weights file and a missing folder fail clearly', () => {
    const dir = join(tmp, 'trunc');
    const w = tf.variable(tf.ones([8])),
      b = tf.variable(tf.ones([1]));
    const m = saveCheckpoint(dir, content(w, b, 1));
    truncateSync(join(dir, m.weightsFile), 10);
    expect(() => loadCheckpoint(dir)).toThrow(`has 10 bytes, the manifest expects 36 (truncated copy?)`);
    expect(() => loadCheckpoint(join(tmp, 'nope'))).toThrow('no checkpoint in');
    tf.dispose([w, b]);
  });

  it('optimizer slots, L-BFGS memory and the Rng state round-trip exactly', () => {
    const dir = join(tmp, 'states');
    const w = tf.variable(tf.tensor1d([1, -2, 3]));
    const f = () => w.square().sum().add(w.prod()) as tf.Scalar;
    const a = adam({ learningRate: 0.1 }),
      l = lbfgs();
    for (let i = 0; i < 3; i++) {
      a.minimize(f, [w]);
      l.minimize(f, [w]);
    }
    const rng = new Rng(9);
    rng.normal();
    saveCheckpoint(dir, { params: [['w', w]], optimizers: { adam: a, lbfgs: l }, rng, step: 6 });
    const a2 = adam(),
      l2 = lbfgs(),
      rng2 = new Rng(0),
      w2 = tf.variable(tf.zeros([3]));
    restoreCheckpoint(loadCheckpoint(dir), { params: [['w', w2]], optimizers: { adam: a2, lbfgs: l2 }, rng: rng2 });
    expect(a2.getState()).toEqual(a.getState());
    expect(l2.getState()).toEqual(l.getState());
    expect(rng2.normal()).toBe(rng.normal());
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w.dataSync()));
    tf.dispose([w, w2]);
    a.dispose();
    a2.dispose();
  });

  it('after the NaN guard fires, the last good checkpoint is kept', async () => {
    const dir = join(tmp, 'nan', 'checkpoint');
    const w = tf.variable(tf.scalar(1));
    const h = await train({
      params: { w },
      optimizer: sgd({ learningRate: 0.1 }),
      steps: 100,
      progress: 'none',
      checkpoint: { dir, every: 4 },
      loss: ({ step }) => (step < 10 ? w.square() : w.sub(2).log()) as tf.Scalar, // w < 2: NaN from step 10 on
    });
    expect(h.stoppedBy).toBe('nanGuard');
    expect(readManifest(dir)!.step).toBe(8);
    const m = readManifest(dir)!;
    expect(existsSync(join(dir, m.weightsFile))).toBe(true);
    w.dispose();
  });
});

describe("a model's own state in the checkpoint", () => {
  it('round-trips JSON data and float32 arrays exactly; train() writes it every `every` steps; older checkpoints have none', async () => {
    const dir = join(tmp, 'extra');
    const w = tf.variable(tf.tensor1d([1, 2]));
    const pts = Float32Array.from([0.1, 0.2, 1 / 3, Math.PI]);
    saveCheckpoint(dir, {
      params: [['w', w]],
      step: 3,
      extra: { data: { phase: 'adam', eps: [0.1, 1] }, arrays: { points: { shape: [2, 2], data: pts } } },
    });
    const back = checkpointExtra(loadCheckpoint(dir))!;
    expect(back.data).toEqual({ phase: 'adam', eps: [0.1, 1] });
    expect(back.arrays!.points.shape).toEqual([2, 2]);
    expect(Array.from(back.arrays!.points.data)).toEqual(Array.from(pts));
    const plain = join(tmp, 'extra-none');
    saveCheckpoint(plain, { params: [['w', w]], step: 1 });
    expect(checkpointExtra(loadCheckpoint(plain))).toBeNull();
    const viaTrain = join(tmp, 'extra-train');
    let calls = 0;
    await train({
      params: [w],
      optimizer: sgd({ learningRate: 0.1 }),
      steps: 4,
      progress: 'none',
      loss: () => tf.sum(tf.square(w)) as tf.Scalar,
      checkpoint: { dir: viaTrain, every: 2, state: () => ({ data: { calls: ++calls } }) },
    });
    expect(checkpointExtra(loadCheckpoint(viaTrain))!.data).toEqual({ calls: 2 }); // steps 2 and 4 (the end adds none: already written)
    w.dispose();
  });
});

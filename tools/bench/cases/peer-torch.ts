/**
 * The same training steps in PyTorch, in the same run: for each case, our CPU time per Adam step
 * (process.cpuUsage) and PyTorch's (time.process_time, in a child process running
 * tools/peer/torch_steps.py), and their ratio. Cases: the four nn speed models (MLP 784-100-100-10
 * at batch 64, LeNet, LSTM, transformer: tools/bench/cases/nn.ts) and the Burgers PINN step
 * (2-50x4-1 tanh, 10,000 points: tools/bench/cases/pinn.ts) on the taylor and fused engines.
 *
 * PyTorch runs on one thread, as we do (torch.set_num_threads(1), OMP/MKL/OpenBLAS threads 1,
 * OMP_WAIT_POLICY=PASSIVE so idle threads do not spin), with glibc's allocator tuned so large
 * buffers are reused instead of mapped and unmapped every step (MALLOC_MMAP_THRESHOLD_,
 * MALLOC_TRIM_THRESHOLD_). Both sides: `steps` warm-up steps, then `rounds` rounds of `steps` steps; a round's
 * figure is its median step, the case's figure the median over rounds. CPU time rather than wall
 * time, since the machine is shared. When no Python with torch is found (Debian: python3-torch), the
 * cases report `skipped` with the reason; no peer figure is stored anywhere.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { adamw, Rng, tf } from '@aml/core';
import { logSoftmax, mlp } from '@aml/nn';
import { fusedEngine, taylorEngine } from '@aml/pinn';
import type { BenchCase } from '../case';
import { burgersStep } from '../shared';
import { MODELS, setupStep } from './nn';

const SCRIPT = path.join(__dirname, '..', '..', 'peer', 'torch_steps.py');
/** Interpreters tried in order: Debian's python3-torch installs into /usr/bin/python3, which may not be first on PATH. */
const PYTHONS = ['/usr/bin/python3', 'python3', 'python'];

let python: string | null | undefined;
/** The first interpreter that imports torch, or null. */
function findPython(): string | null {
  if (python !== undefined) return python;
  python =
    PYTHONS.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0) ??
    null;
  return python;
}

/** Environment of the PyTorch child: one thread, passive waiting, large buffers kept by malloc. */
function peerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    OMP_WAIT_POLICY: 'PASSIVE',
    MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024), // the largest value glibc accepts on 64-bit
    MALLOC_TRIM_THRESHOLD_: String(1024 * 1024 * 1024),
    MALLOC_TOP_PAD_: String(64 * 1024 * 1024),
  };
}

interface PeerResult {
  cpu_ms: number[];
  wall_ms: number[];
  torch: string;
  threads: number;
}

/** Run one case in the PyTorch child; throws with its stderr when it fails. */
function runPeer(caseName: string, rounds: number, steps: number): PeerResult {
  const r = spawnSync(
    findPython()!,
    [SCRIPT, '--cases', caseName, '--rounds', String(rounds), '--steps', String(steps)],
    {
      env: peerEnv(),
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  if (r.status !== 0)
    throw new Error(
      `peer-torch: ${SCRIPT} --cases ${caseName} failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`,
    );
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as PeerResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Our side: `steps` warm-up steps (V8 compiles the kernels' loops after some calls, tfjs creates the
 * optimizer slots), then `rounds` x `steps` steps; per-round medians of CPU and wall ms.
 */
function timeOurs(step: () => unknown, rounds: number, steps: number): { cpu: number[]; wall: number[] } {
  for (let i = 0; i < Math.max(3, steps); i++) step();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < steps; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      step();
      w.push(performance.now() - t0);
      const d = process.cpuUsage(c0);
      c.push((d.user + d.system) / 1000);
    }
    cpu.push(median(c));
    wall.push(median(w));
  }
  return { cpu, wall };
}

/** A ratio case: our step (from `setup`) against the PyTorch case `peer`. */
function peerCase(
  name: string,
  peer: string,
  setup: () => { step: () => unknown; dispose: () => void },
  steps: number,
): BenchCase {
  return {
    kind: 'accuracy',
    name: `peer-torch-${name}`,
    async run({ quick }): Promise<Record<string, number | string | boolean>> {
      if (!findPython())
        return { skipped: `no Python with torch among ${PYTHONS.join(', ')} (Debian: apt-get install python3-torch)` };
      const rounds = quick ? 2 : 5;
      const n = quick ? Math.min(steps, 3) : steps;
      const s = setup();
      let ours: { cpu: number[]; wall: number[] };
      try {
        ours = timeOurs(s.step, rounds, n);
      } finally {
        s.dispose();
      }
      const theirs = runPeer(peer, rounds, n);
      const o = median(ours.cpu);
      const t = median(theirs.cpu_ms);
      return {
        ours_cpu_ms: o,
        torch_cpu_ms: t,
        cpu_ratio: o / t,
        ours_wall_ms: median(ours.wall),
        torch_wall_ms: median(theirs.wall_ms),
        torch: theirs.torch,
        torch_threads: theirs.threads,
        rounds,
        steps: n,
      };
    },
  };
}

const byName = (prefix: string) => {
  const m = MODELS.find((x) => x.name.startsWith(prefix));
  if (!m) throw new Error(`peer-torch: no nn bench model named ${prefix}*`);
  return m;
};

/**
 * The MLP step with every operation separate, as before the fused paths: plain dense layers
 * (fused: false), cross-entropy op by op, and Adam's op-by-op rule (AdamW with weight decay 0 is
 * the same update without the fused kernel). Same network, data and seed as the nn case.
 */
function plainMlpStep() {
  const net = mlp({ sizes: [784, 100, 100, 10], activation: 'relu', fused: false }, new Rng(1));
  const x = tf.randomUniform([64, 784], 0, 1, 'float32', 1);
  const t = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Int32Array.from({ length: 64 }, (_, i) => i % 10),
          'int32',
        ),
        10,
      )
      .toFloat(),
  ); // (64, 10)
  const opt = adamw({ learningRate: 1e-3, weightDecay: 0 });
  const loss = () =>
    tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(t, logSoftmax(net.apply(x, { training: true }))), -1))) as tf.Scalar);
  return {
    step: () => opt.minimize(loss, net.params),
    dispose: () => {
      opt.dispose();
      tf.dispose([x, t, ...net.params]);
    },
  };
}

export const cases: BenchCase[] = [
  peerCase('mlp-784x100x100x10-b64', 'mlp', () => setupStep(byName('nn-mlp')), 20),
  peerCase('mlp-784x100x100x10-b64-plain-ops', 'mlp', plainMlpStep, 20),
  peerCase('lenet-16x16-b32', 'lenet', () => setupStep(byName('nn-cnn-lenet')), 10),
  peerCase('lstm-h32x2-T20-b32', 'lstm', () => setupStep(byName('nn-lstm')), 5),
  peerCase('transformer-d32h4x2-T33-b32', 'transformer', () => setupStep(byName('nn-transformer')), 5),
  peerCase('pinn-burgers-2x50x4-10k-taylor', 'pinn', () => burgersStep(taylorEngine), 3),
  peerCase('pinn-burgers-2x50x4-10k-fused', 'pinn', () => burgersStep(fusedEngine({ threads: 1 })), 5),
];

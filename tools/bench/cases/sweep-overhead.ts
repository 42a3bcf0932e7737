/**
 * Per-run overhead of a sweep: 32 runs of pde-lab's exp-decay experiment with `--quick` (seconds of
 * training each), 2 at a time through the local executor and through a private single-node Slurm
 * (2 CPUs, one per run). The overhead of a run is its wrapper's wall time minus the training time the
 * run reports (`trainSeconds`): Node's start-up and module loading, config checks, the backend's
 * start, writing the results folder and report. Runs start from the built JavaScript when `npm run
 * build` made an up-to-date one (else ts-node; `via` says which). Target: under 1 s per run here.
 * Wall times include waiting for a CPU, so the CPU seconds per run (measured by the wrapper, training
 * included), the CPU of starting the command (`--version`: Node plus every module a run loads at
 * start, median of 3) and the load average are reported too.
 * `--quick` runs 8 runs instead of 32. The Slurm part needs root and Debian's slurm packages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  builtCommand,
  collectRows,
  localExecutor,
  localSlurmSupport,
  makeSweepSpec,
  overheadOf,
  readJsonObject,
  runSweep,
  slurmExecutor,
  startLocalSlurm,
  type Executor,
} from '@aml/sweep';
import type { BenchCase } from '../case';

const REPO = resolve(__dirname, '../../..');

/** One sweep of `runs` seeds of exp-decay --quick; wall time, mean overhead and training seconds per run. */
async function timeSweep(dir: string, name: string, executor: Executor, runs: number, command: string) {
  const spec = makeSweepSpec({
    name,
    base: readJsonObject(join(REPO, 'apps/pde-lab/configs/exp-decay.json'), 'base config'),
    parameters: [],
    seeds: runs,
    seedPath: 'seed',
    command: `${command} --quick --backend wasm`,
  });
  const t0 = Date.now();
  const s = await runSweep({ spec, resultsDir: dir, executor });
  const wall = (Date.now() - t0) / 1000;
  if (s.succeeded !== runs)
    throw new Error(
      `sweep ${name}: ${s.succeeded}/${runs} runs succeeded; first failure: ${s.failed[0]?.log ?? 'none'}`,
    );
  const rows = collectRows(join(dir, name));
  const o = overheadOf(rows);
  if (!o) throw new Error(`sweep ${name}: no run reported trainSeconds`);
  const train = rows.reduce((t, r) => t + (r.metrics.trainSeconds as number), 0) / rows.length;
  return {
    wall,
    overhead: o.meanSeconds,
    medianOverhead: o.medianSeconds,
    maxOverhead: o.maxSeconds,
    runWall: o.meanWallSeconds,
    cpu: o.meanCpuSeconds ?? Number.NaN,
    train,
  };
}

/** CPU seconds (user + system) of `command --version`, median of 3: Node's start and the modules a run loads first. */
function startCpuSeconds(command: string): number {
  const cpu = [0, 1, 2].map(() => {
    const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time ( ${command} --version > /dev/null )`], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`${command} --version failed: ${r.stderr}`);
    const [u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return u + s;
  });
  return cpu.sort((a, b) => a - b)[1];
}

export const cases: BenchCase[] = [
  {
    kind: 'accuracy',
    name: 'sweep-overhead-32-quick-runs',
    async run({ quick }): Promise<Record<string, number | string | boolean>> {
      const runs = quick ? 8 : 32;
      const choice = builtCommand(join(REPO, 'apps/pde-lab/src/main.ts'), 'run --config {config} --out {out} --force');
      const dir = mkdtempSync(join(tmpdir(), 'bench-sweep-overhead-'));
      const r2 = (x: number) => +x.toFixed(2);
      // the entry without its arguments: `node [-r preload] main.js` or `node ts-node --swc main.ts`
      const entry = choice.command.slice(0, choice.command.indexOf(' run --config'));
      try {
        const load0 = loadavg()[0];
        const local = await timeSweep(dir, 'local', localExecutor({ jobs: 2 }), runs, choice.command);
        const out: Record<string, number | string | boolean> = {
          runs,
          via: choice.via,
          ...(choice.reason ? { tsNodeBecause: choice.reason } : {}),
          loadAverageAtStart: r2(load0),
          startCpuSeconds: r2(startCpuSeconds(entry)),
          trainSecondsPerRun: r2(local.train),
          localRunWallSeconds: r2(local.runWall),
          localCpuSecondsPerRun: r2(local.cpu),
          localOverheadPerRunSeconds: r2(local.overhead),
          localMedianOverheadSeconds: r2(local.medianOverhead),
          localMaxOverheadSeconds: r2(local.maxOverhead),
          localSweepWallSeconds: r2(local.wall),
        };
        const support = localSlurmSupport();
        if (!support.ok) return { ...out, slurm: `skipped: ${support.reason}`, loadAverageAtEnd: r2(loadavg()[0]) };
        const cluster = await startLocalSlurm({ cpus: 2 });
        try {
          const slurm = await timeSweep(
            dir,
            'slurm',
            slurmExecutor({ env: cluster.env, slurm: { cpusPerTask: 1, pollSeconds: 0.5 } }),
            runs,
            choice.command,
          );
          return {
            ...out,
            slurmCpuSecondsPerRun: r2(slurm.cpu),
            slurmOverheadPerRunSeconds: r2(slurm.overhead),
            slurmMedianOverheadSeconds: r2(slurm.medianOverhead),
            slurmSweepWallSeconds: r2(slurm.wall),
            // two runs at a time either way: what Slurm adds per run on top of the wrapper's own overhead
            slurmAddsPerRunSeconds: r2((slurm.wall - local.wall) / (runs / 2)),
            loadAverageAtEnd: r2(loadavg()[0]),
          };
        } finally {
          await cluster.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

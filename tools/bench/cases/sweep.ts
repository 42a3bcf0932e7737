/**
 * Sweep overhead: the same 12-run sweep through the local executor (2 processes) and through a
 * private single-node Slurm (2 CPUs, one per run) on loopback. Each run is a fixed-length command
 * (sleep, then write metrics.json), so the difference is what Slurm adds: submission, scheduling,
 * slurmstepd start-up, polling. Needs root and Debian's slurm packages; reports `skipped` otherwise.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  localExecutor,
  localSlurmSupport,
  makeSweepSpec,
  readStatus,
  runSweep,
  slurmExecutor,
  startLocalSlurm,
  type Executor,
} from '@aml/sweep';
import type { BenchCase } from '../case';

/** Run one 12-run sweep; wall time and the runs' own start/finish times. */
async function timeSweep(dir: string, name: string, executor: Executor, runSeconds: number) {
  const spec = makeSweepSpec({
    name,
    base: { seed: 0, size: 1 },
    parameters: [{ path: 'size', values: [1, 2, 3, 4, 5, 6] }],
    seeds: 2,
    seedPath: 'seed',
    command: `test -f {config} && sleep ${runSeconds} && echo '{"value": {seed}}' > {out}/metrics.json`,
  });
  const t0 = Date.now();
  const s = await runSweep({ spec, resultsDir: dir, executor });
  const wall = (Date.now() - t0) / 1000;
  if (s.succeeded !== 12) throw new Error(`sweep ${name}: ${s.succeeded}/12 runs succeeded`);
  const runsDir = join(dir, name, 'runs');
  const st = readdirSync(runsDir).map((id) => readStatus(join(runsDir, id))!);
  const firstStart = st.reduce((m, x) => Math.min(m, x.startedMs!), Infinity);
  return { wall, firstStartLatency: (firstStart - t0) / 1000 };
}

export const cases: BenchCase[] = [
  {
    kind: 'accuracy',
    name: 'sweep-12-runs-local-vs-slurm',
    async run({ quick }): Promise<Record<string, number | string | boolean>> {
      const support = localSlurmSupport();
      if (!support.ok) return { skipped: support.reason ?? 'no Slurm' };
      const runSeconds = quick ? 0.2 : 1;
      const dir = mkdtempSync(join(tmpdir(), 'bench-sweep-'));
      const t0 = Date.now();
      const cluster = await startLocalSlurm({ cpus: 2 });
      const startSeconds = (Date.now() - t0) / 1000;
      try {
        const local = await timeSweep(dir, 'local', localExecutor({ jobs: 2 }), runSeconds);
        // Poll every 0.5 s (the default 5 s suits a real cluster, not a 12-second measurement).
        const slurm = await timeSweep(
          dir,
          'slurm',
          slurmExecutor({ env: cluster.env, slurm: { cpusPerTask: 1, pollSeconds: 0.5 } }),
          runSeconds,
        );
        const waves = 12 / 2; // two runs at a time either way
        return {
          runSeconds,
          localWallSeconds: +local.wall.toFixed(2),
          slurmWallSeconds: +slurm.wall.toFixed(2),
          slurmOverheadPerRunSeconds: +((slurm.wall - local.wall) / waves).toFixed(2),
          slurmFirstTaskStartSeconds: +slurm.firstStartLatency.toFixed(2),
          localFirstRunStartSeconds: +local.firstStartLatency.toFixed(2),
          clusterStartSeconds: +startSeconds.toFixed(2),
        };
      } finally {
        await cluster.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

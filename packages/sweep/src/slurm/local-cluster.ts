/**
 * A private single-node Slurm cluster on loopback, for tests and benchmarks: munged, slurmctld and
 * slurmd from Debian's packages, every file in a temporary folder, every port on 127.0.0.1, its own
 * munge socket, so it touches nothing of the machine's own setup. Needs root (slurmd launches jobs).
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Programs the local cluster needs. */
export const SLURM_PROGRAMS = [
  'munged',
  'slurmctld',
  'slurmd',
  'sbatch',
  'squeue',
  'scontrol',
  'scancel',
  'sinfo',
] as const;

/** Full path of `program` on PATH or in /usr/sbin, or undefined. */
export function findProgram(program: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin'];
  return dirs.map((d) => join(d, program)).find((p) => p !== program && existsSync(p));
}

/**
 * Whether a local cluster can start here; `reason` says why not (missing programs, not root, no munge key).
 */
export function localSlurmSupport(): { ok: boolean; reason?: string } {
  const missing = SLURM_PROGRAMS.filter((p) => !findProgram(p));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `Slurm is not installed (missing ${missing.join(', ')}); install with: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge`,
    };
  }
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'a local Slurm cluster needs root (slurmd launches the jobs)' };
  if (!existsSync('/etc/munge/munge.key'))
    return { ok: false, reason: 'no /etc/munge/munge.key (create one with mungekey)' };
  return { ok: true };
}

/** A running private cluster. */
export interface LocalSlurm {
  /** Its temporary folder (config, state, logs). */
  readonly dir: string;
  /** Path of its slurm.conf. */
  readonly conf: string;
  /** Environment every Slurm client needs to reach it (`SLURM_CONF`). */
  readonly env: Readonly<Record<string, string>>;
  /** Cancel every job, wait for an empty queue, stop the daemons, remove the folder. */
  stop(): Promise<void>;
}

/** Options of `startLocalSlurm`. */
export interface LocalSlurmOptions {
  /** CPUs the node offers (default: the machine's cores). */
  readonly cpus?: number;
  /** Seconds to wait for the node to come up (default 30). */
  readonly timeoutSeconds?: number;
  /** Extra slurm.conf lines (e.g. scheduler settings to measure), appended before the node line. */
  readonly extraConfig?: readonly string[];
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the daemon whose pid is in `pidFile`, then wait (up to 10 s) for it to exit. */
async function stopDaemon(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  if (!Number.isInteger(pid) || !pidAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && pidAlive(pid); i++) await sleep(100);
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** The slurm.conf text of a one-node loopback cluster rooted at `dir`. */
export function loopbackSlurmConf(
  dir: string,
  ports: { ctld: number; slurmd: number },
  nodeCpus: number,
  memMb: number,
  extra: readonly string[] = [],
): string {
  return `# Private single-node Slurm on loopback, written by @aml/sweep's local-cluster (tests, benchmarks).
ClusterName=aml
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=${ports.ctld}
SlurmdPort=${ports.slurmd}
# Every daemon listens on 127.0.0.1 only.
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${join(dir, 'munge', 'munge.socket')}
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# No 3 s gap between array tasks.
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
StateSaveLocation=${join(dir, 'state')}
SlurmdSpoolDir=${join(dir, 'spool')}
SlurmctldPidFile=${join(dir, 'slurmctld.pid')}
SlurmdPidFile=${join(dir, 'slurmd.pid')}
SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}
SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}
${extra.join('\n')}
NodeName=localhost NodeAddr=127.0.0.1 CPUs=${nodeCpus} RealMemory=${memMb} State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`;
}

/**
 * Start a private cluster; resolves once the node is idle and accepts jobs.
 * @example const c = await startLocalSlurm(); try { ... slurmExecutor({ env: c.env }) ... } finally { await c.stop(); }
 */
export async function startLocalSlurm(options: LocalSlurmOptions = {}): Promise<LocalSlurm> {
  const support = localSlurmSupport();
  if (!support.ok) throw new Error(`local Slurm: ${support.reason}`);
  const prog = (p: string) => findProgram(p) as string;
  const dir = mkdtempSync(join(tmpdir(), 'aml-slurm-'));
  chmodSync(dir, 0o755); // munged checks that every folder above its socket is searchable
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(dir, d));
  const mungeDir = join(dir, 'munge');
  mkdirSync(mungeDir, { mode: 0o755 });
  const mungeUid = Number.parseInt(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }), 10);
  const mungeGid = Number.parseInt(execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' }), 10);
  chownSync(mungeDir, mungeUid, mungeGid);
  chmodSync(mungeDir, 0o755);
  const conf = join(dir, 'slurm.conf');
  const env = { SLURM_CONF: conf };
  const fullEnv = { ...process.env, ...env };
  const cluster: LocalSlurm = {
    dir,
    conf,
    env,
    async stop() {
      // Cancel and drain first: killing slurmd under a running job orphans a slurmstepd that ignores SIGTERM.
      try {
        const ids = (await execFileP(prog('squeue'), ['-h', '-o', '%A'], { env: fullEnv })).stdout
          .split('\n')
          .filter(Boolean);
        if (ids.length > 0) await execFileP(prog('scancel'), [...new Set(ids)], { env: fullEnv });
        for (let i = 0; i < 100; i++) {
          const left = (await execFileP(prog('squeue'), ['-h'], { env: fullEnv })).stdout.trim();
          if (left === '') break;
          await sleep(100);
        }
      } catch {
        // the controller is already down: nothing to drain
      }
      await stopDaemon(join(dir, 'slurmd.pid'));
      await stopDaemon(join(dir, 'slurmctld.pid'));
      await stopDaemon(join(mungeDir, 'munged.pid'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const ports = { ctld: await freePort(), slurmd: await freePort() };
    const memMb = Math.floor((totalmem() / 2 ** 20) * 0.9);
    writeFileSync(conf, loopbackSlurmConf(dir, ports, options.cpus ?? cpus().length, memMb, options.extraConfig));
    const mungeArgs = [
      `--socket=${join(mungeDir, 'munge.socket')}`,
      `--pid-file=${join(mungeDir, 'munged.pid')}`,
      `--log-file=${join(mungeDir, 'munged.log')}`,
      `--seed-file=${join(mungeDir, 'munged.seed')}`,
    ];
    // munged refuses to run as root without --force; run it as its own user when runuser exists.
    const runuser = findProgram('runuser');
    if (runuser) execFileSync(runuser, ['-u', 'munge', '--', prog('munged'), ...mungeArgs], { stdio: 'pipe' });
    else execFileSync(prog('munged'), ['--force', ...mungeArgs], { stdio: 'pipe' });
    execFileSync(prog('slurmctld'), ['-c'], { env: fullEnv, stdio: 'pipe' });
    execFileSync(prog('slurmd'), ['-N', 'localhost'], { env: fullEnv, stdio: 'pipe' });
    const deadline = Date.now() + (options.timeoutSeconds ?? 30) * 1000;
    for (;;) {
      const state = await execFileP(prog('sinfo'), ['-h', '-o', '%T'], { env: fullEnv }).then(
        (r) => r.stdout.trim(),
        () => '',
      );
      if (state === 'idle') break;
      if (Date.now() > deadline) {
        const log = (f: string) =>
          existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(-8).join('\n') : '(no log)';
        throw new Error(
          `local Slurm: node not idle after ${options.timeoutSeconds ?? 30} s (sinfo: "${state}")\nslurmctld.log:\n${log(join(dir, 'log', 'slurmctld.log'))}\nslurmd.log:\n${log(join(dir, 'log', 'slurmd.log'))}`,
        );
      }
      await sleep(200);
    }
    return cluster;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

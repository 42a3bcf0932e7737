/**
 * The per-run wrapper script. Both executors run exactly this script, so a run's result cannot
 * depend on where it ran: it refuses to touch a finished run, keeps the logs of earlier failed
 * attempts, runs the command with its output in output.txt, and records the exit code in status.json.
 */
import type { RunSpec } from '../spec/expand';
import { runFiles } from './layout';

/** Quote `s` for bash (single quotes; embedded quotes closed and escaped). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Fill a command template: `{config}`, `{out}`, `{id}`, `{seed}` become shell-quoted values.
 * @example fillCommand('node x.js --config {config}', { config: '/r/a b/config.json', ... }) // "node x.js --config '/r/a b/config.json'"
 */
export function fillCommand(template: string, fill: { config: string; out: string; id: string; seed: number }): string {
  const unknown = [...template.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).filter((k) => !['config', 'out', 'id', 'seed'].includes(k));
  if (unknown.length > 0) {
    throw new Error(`command template "${template}": unknown placeholder {${unknown[0]}}; use {config}, {out}, {id} or {seed}`);
  }
  return template
    .replaceAll('{config}', shellQuote(fill.config))
    .replaceAll('{out}', shellQuote(fill.out))
    .replaceAll('{id}', shellQuote(fill.id))
    .replaceAll('{seed}', String(fill.seed));
}

/**
 * The text of `run.sh` for `run` in folder `runDir` (absolute), running `command` from `cwd`.
 * The executor name comes from the environment (`AML_SWEEP_EXECUTOR`), the Slurm ids from Slurm's.
 */
export function runScript(run: RunSpec, runDir: string, cwd: string, commandTemplate: string): string {
  const f = runFiles(runDir);
  const command = fillCommand(commandTemplate, { config: f.config, out: runDir, id: run.id, seed: run.seed });
  const q = shellQuote;
  return `#!/usr/bin/env bash
# Run ${run.id} (seed ${run.seed}; ${JSON.stringify(run.values)}), written by @aml/sweep.
# The local executor and Slurm both run this script, so the run does not depend on where it ran.
set -u
run=${q(runDir)}
status=${q(f.status)}
if [ -f "$status" ] && grep -q '"state":"done"' "$status"; then
  echo "run ${run.id} has already finished; not running it again" >&2
  exit 0
fi
attempt=1
# Keep every failed attempt's log: move it aside rather than overwrite it.
if [ -f ${q(f.log)} ]; then
  n=1; while [ -e "$run/output.attempt$n.txt" ]; do n=$((n+1)); done
  mv ${q(f.log)} "$run/output.attempt$n.txt"; attempt=$((n+1))
fi
executor=\${AML_SWEEP_EXECUTOR:-\${SLURM_JOB_ID:+slurm}}; executor=\${executor:-local}
job=\${SLURM_ARRAY_JOB_ID:-}; task=\${SLURM_ARRAY_TASK_ID:-}
host=$(hostname)
started=$(date +%s%3N)
slurm_fields=""
[ -n "$job" ] && slurm_fields=",\\"jobId\\":\\"$job\\",\\"task\\":$task"
write_status() { printf '%s\\n' "$1" > "$status.tmp.$$" && mv "$status.tmp.$$" "$status"; }
write_status "{\\"state\\":\\"running\\",\\"executor\\":\\"$executor\\",\\"host\\":\\"$host\\",\\"pid\\":$$,\\"startedMs\\":$started,\\"attempt\\":$attempt$slurm_fields}"
cd ${q(cwd)} || exit 97
( ${command} ) > ${q(f.log)} 2>&1 < /dev/null
code=$?
finished=$(date +%s%3N)
state=failed; [ "$code" = 0 ] && state=done
write_status "{\\"state\\":\\"$state\\",\\"exitCode\\":$code,\\"executor\\":\\"$executor\\",\\"host\\":\\"$host\\",\\"pid\\":$$,\\"startedMs\\":$started,\\"finishedMs\\":$finished,\\"attempt\\":$attempt$slurm_fields}"
exit $code
`;
}

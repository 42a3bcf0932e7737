/**
 * The per-run wrapper script. Both executors run exactly this script, so a run's result cannot
 * depend on where it ran: it refuses to touch a finished run, keeps the logs of earlier failed
 * attempts, runs the command with its output in output.txt, and records the exit code in status.json.
 */
import type { RunSpec } from '../spec/expand';
import type { ResumeConvention } from '../spec/spec';
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
  const unknown = [...template.matchAll(/\{([A-Za-z]+)\}/g)]
    .map((m) => m[1])
    .filter((k) => !['config', 'out', 'id', 'seed'].includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `command template "${template}": unknown placeholder {${unknown[0]}}; use {config}, {out}, {id} or {seed}`,
    );
  }
  return template
    .replaceAll('{config}', shellQuote(fill.config))
    .replaceAll('{out}', shellQuote(fill.out))
    .replaceAll('{id}', shellQuote(fill.id))
    .replaceAll('{seed}', String(fill.seed));
}

/**
 * The command template of a resumed attempt: the words in `resume.drop` removed (flags a resume
 * must not repeat, such as `--force`), `resume.args` appended.
 * @example resumeTemplate('x run --config {config} --force', { args: '--resume', drop: ['--force'], checkpoint: 'checkpoint' }) // 'x run --config {config} --resume'
 */
export function resumeTemplate(template: string, resume: ResumeConvention): string {
  const drop = new Set(resume.drop ?? []);
  return [...template.split(' ').filter((w) => !drop.has(w)), resume.args].filter((w) => w !== '').join(' ');
}

/**
 * The text of `run.sh` for `run` in folder `runDir` (absolute), running `command` from `cwd`.
 * The executor name comes from the environment (`AML_SWEEP_EXECUTOR`), the Slurm ids from Slurm's.
 *
 * Signals: TERM and INT (Slurm's preemption, requeue or cancellation; Ctrl-C) and USR1 (the
 * time-limit warning of `--signal`) are passed on to the command as TERM, so it can checkpoint;
 * the run is then recorded as `preempted`, not failed. After USR1 the task requeues itself
 * (`scontrol requeue`, at most `AML_SWEEP_MAX_REQUEUES` times). When a run that did not fail
 * left a checkpoint, the next attempt runs the resume command (see `resumeTemplate`).
 */
export function runScript(
  run: RunSpec,
  runDir: string,
  cwd: string,
  commandTemplate: string,
  resume?: ResumeConvention,
): string {
  const f = runFiles(runDir);
  const command = fillCommand(commandTemplate, { config: f.config, out: runDir, id: run.id, seed: run.seed });
  const q = shellQuote;
  const resumeLines = resume
    ? `# Continue from the checkpoint a signalled (or vanished) earlier attempt left; a failed run starts over.
if [ -e ${q(`${runDir}/${resume.checkpoint}`)} ] && [ -n "$previous" ] && ! grep -q '"state":"failed"' <<<"$previous"; then
  resumed=true
fi`
    : '';
  const resumeCommand = resume
    ? fillCommand(resumeTemplate(commandTemplate, resume), {
        config: f.config,
        out: runDir,
        id: run.id,
        seed: run.seed,
      })
    : command;
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
previous=""; [ -f "$status" ] && previous=$(cat "$status")
attempt=1
# Keep every earlier attempt's log: move it aside rather than overwrite it.
if [ -f ${q(f.log)} ]; then
  n=1; while [ -e "$run/output.attempt$n.txt" ]; do n=$((n+1)); done
  mv ${q(f.log)} "$run/output.attempt$n.txt"; attempt=$((n+1))
fi
resumed=false
${resumeLines}
executor=\${AML_SWEEP_EXECUTOR:-\${SLURM_JOB_ID:+slurm}}; executor=\${executor:-local}
job=\${SLURM_ARRAY_JOB_ID:-}; task=\${SLURM_ARRAY_TASK_ID:-}
host=$(hostname)
started=$(date +%s%3N)
slurm_fields=""
[ -n "$job" ] && slurm_fields=",\\"jobId\\":\\"$job\\",\\"task\\":$task"
write_status() { printf '%s\\n' "$1" > "$status.tmp.$$" && mv "$status.tmp.$$" "$status"; }
common() { printf '"executor":"%s","host":"%s","pid":%s,"startedMs":%s,"attempt":%s,"resumed":%s%s' "$executor" "$host" $$ "$started" "$attempt" "$resumed" "$slurm_fields"; }
write_status "{\\"state\\":\\"running\\",$(common)}"
cd ${q(cwd)} || exit 97
signal=""; child=""
# Pass a signal on to the command's whole process group, as TERM: the app checkpoints on TERM.
forward() { signal=$1; [ -n "$child" ] && { kill -TERM -- "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null; }; }
trap 'forward TERM' TERM; trap 'forward INT' INT; trap 'forward USR1' USR1
command_started=$(date +%s%3N)
set -m # the command gets its own process group
if [ "$resumed" = true ]; then
  ( ${resumeCommand} ) > ${q(f.log)} 2>&1 < /dev/null &
else
  ( ${command} ) > ${q(f.log)} 2>&1 < /dev/null &
fi
child=$!
set +m
wait "$child"; code=$?
# A trapped signal interrupts wait; wait again for the command's own exit status.
while [ -n "$signal" ] && kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
[ -n "$signal" ] && { wait "$child" 2>/dev/null; c=$?; [ "$c" != 127 ] && code=$c; }
finished=$(date +%s%3N)
# CPU seconds (user + system) of the command and everything it started, from bash's own accounting
# (\`times\`: 0m1.234s); no extra process. The status file's temporary name is written again just below.
to_ms() { local m=\${1%%m*} s=\${1#*m}; s=\${s%s}; s=\${s/,/.}; ms=$(( (10#$m * 60 + 10#\${s%%.*}) * 1000 + 10#\${s#*.} )); }
times > "$status.tmp.$$"; { read -r _ _; read -r cpu_user cpu_system; } < "$status.tmp.$$"
to_ms "$cpu_user"; cpu_ms=$ms; to_ms "$cpu_system"; cpu_ms=$((cpu_ms + ms))
printf -v cpu '%d.%03d' $((cpu_ms / 1000)) $((cpu_ms % 1000))
state=failed; [ "$code" = 0 ] && state=done
[ -n "$signal" ] && [ "$code" != 0 ] && state=preempted
extra=",\\"commandStartedMs\\":$command_started,\\"commandFinishedMs\\":$finished,\\"cpuSeconds\\":$cpu"
[ -n "$signal" ] && extra="$extra,\\"signal\\":\\"$signal\\""
write_status "{\\"state\\":\\"$state\\",\\"exitCode\\":$code,$(common),\\"finishedMs\\":$finished$extra}"
# The time-limit warning: put the task back in the queue so it continues from its checkpoint.
if [ "$signal" = USR1 ] && [ "$state" = preempted ] && [ -n "\${SLURM_JOB_ID:-}" ] && [ "\${SLURM_RESTART_COUNT:-0}" -lt "\${AML_SWEEP_MAX_REQUEUES:-5}" ]; then
  scontrol requeue "$SLURM_JOB_ID" || echo "run ${run.id}: scontrol requeue failed; run the sweep again to continue it" >&2
fi
exit $code
`;
}

/**
 * What a sweep asks of a Slurm cluster: one entry per `#SBATCH` line it writes.
 * Every field is optional; the cluster's defaults apply to what is left out.
 */
import { z } from 'zod';
import { nonNegativeInt, positiveInt } from '@aml/core/validation';

/**
 * Resources for the runs whose varied values match `when` (e.g. more memory and time for the widest
 * network). Rules apply in order, a later match overriding an earlier one; runs with the same
 * resources share one job array.
 */
export const resourceRuleSchema = z.strictObject({
  /** Varied values (by parameter path, or `seed`) a run must have for the rule to apply. */
  when: z.record(z.string(), z.json()),
  partition: z.string().min(1).optional(),
  time: z
    .string()
    .regex(/^(\d+-)?\d+(:\d{2}){0,2}$/, 'time: use MM, HH:MM:SS or D-HH:MM:SS, e.g. 01:30:00')
    .optional(),
  mem: z
    .string()
    .regex(/^\d+[KMGT]?$/, 'mem: use a number with an optional K/M/G/T suffix, e.g. 4G')
    .optional(),
  cpusPerTask: positiveInt().optional(),
  gpus: positiveInt().optional(),
  gpuType: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'gpuType: letters, digits, "_", ".", "-" only')
    .optional(),
});

/** One resource rule (see `resourceRuleSchema`). */
export type ResourceRule = z.infer<typeof resourceRuleSchema>;

/** Schema of the Slurm settings (strict: a misspelt key is an error, not a silent default). */
export const slurmOptionsSchema = z.strictObject({
  /** Partition (`--partition`), e.g. `gpu` or `short`. */
  partition: z.string().min(1).optional(),
  /** Time limit per run (`--time`): `MM`, `HH:MM:SS` or `D-HH:MM:SS`. */
  time: z
    .string()
    .regex(/^(\d+-)?\d+(:\d{2}){0,2}$/, 'time: use MM, HH:MM:SS or D-HH:MM:SS, e.g. 01:30:00')
    .optional(),
  /** Memory per run (`--mem`), e.g. `4G` or `500M`. */
  mem: z
    .string()
    .regex(/^\d+[KMGT]?$/, 'mem: use a number with an optional K/M/G/T suffix, e.g. 4G')
    .optional(),
  /** CPU cores per run (`--cpus-per-task`). */
  cpusPerTask: positiveInt().optional(),
  /** GPUs per run (`--gres=gpu:N`, or `gpu:<gpuType>:N`); use with tfjs-node-gpu. */
  gpus: positiveInt().optional(),
  /** GPU type for `--gres` (site-specific, e.g. `a100`). */
  gpuType: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'gpuType: letters, digits, "_", ".", "-" only')
    .optional(),
  /** Account to charge (`--account`). */
  account: z.string().min(1).optional(),
  /** Quality of service (`--qos`). */
  qos: z.string().min(1).optional(),
  /** At most this many runs at once (`--array=0-N%max`), to be fair to other users. */
  maxParallel: positiveInt().optional(),
  /** Most tasks per job array (the cluster's MaxArraySize minus one; default 1000): larger sweeps submit several arrays. */
  maxArraySize: positiveInt().optional(),
  /** Shell lines run before each run, e.g. `module load nodejs/20`, `source ~/venv/bin/activate`. */
  setup: z.array(z.string()).optional(),
  /** Extra `#SBATCH` options, written as given, e.g. `--constraint=skylake`. */
  sbatchArgs: z.array(z.string().regex(/^--?[A-Za-z]/, 'sbatchArgs: each entry starts with - or --')).optional(),
  /**
   * Fail runs that wait longer than this many seconds while no run of the sweep is running (the
   * queue does not move for them); unset: wait as long as Slurm keeps them pending for a reason
   * that can clear. Reasons that never clear (`PartitionConfig`...) fail at once either way.
   */
  maxPendingSeconds: z.number().positive().optional(),
  /**
   * Submit the tasks requeueable with a warning signal before the time limit (default true): a
   * preempted or requeued task continues from its checkpoint and is not counted as failed.
   */
  requeue: z.boolean().optional(),
  /** Seconds before the time limit at which a task is told to checkpoint and requeue itself (default 120, at most a fifth of --time). */
  signalSeconds: positiveInt().optional(),
  /** Most times a task requeues itself at its time limit (default 5). */
  maxRequeues: nonNegativeInt().optional(),
  /** Per-run resources that depend on the varied values (sweep files only); one job array per distinct set. */
  resources: z.array(resourceRuleSchema).optional(),
  /** Seconds between `squeue` polls while following the array (default 5). */
  pollSeconds: z.number().positive().optional(),
});

/** Slurm settings for a sweep (see `slurmOptionsSchema` for each field). */
export type SlurmOptions = z.infer<typeof slurmOptionsSchema>;

/**
 * Validate Slurm settings from flags or a file.
 * @throws with one line per problem, naming the field.
 */
export function parseSlurmOptions(raw: unknown): SlurmOptions {
  const r = slurmOptionsSchema.safeParse(raw);
  if (!r.success) throw new Error(`slurm options:\n${z.prettifyError(r.error)}`);
  return r.data;
}

/** Seconds in a Slurm time limit (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH[:MM[:SS]]`), or undefined when unset. */
export function timeLimitSeconds(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time);
  if (!m) return undefined;
  const [d, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  if (d !== undefined) return d * 86400 + (a ?? 0) * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return a! * 3600 + b! * 60 + c;
  if (b !== undefined) return a! * 60 + b;
  return a! * 60;
}

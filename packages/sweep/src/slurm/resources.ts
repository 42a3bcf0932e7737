/**
 * Per-run Slurm resources that depend on the grid: `slurm.resources` rules pick partition, time,
 * memory, CPUs and GPUs by a run's varied values, and the runs are grouped into one job array per
 * distinct set of resources (a job array has one set of `#SBATCH` lines).
 */
import type { RunTask } from '../executors/executor';
import { canonicalJson, type Json } from '../spec/paths';
import type { SweepSpec } from '../spec/spec';
import type { ResourceRule, SlurmOptions } from './options';

/** Whether `rule` applies to a run with these values and seed. */
function matches(rule: ResourceRule, values: Readonly<Record<string, Json>>, seed: number | undefined): boolean {
  return Object.entries(rule.when).every(
    ([k, v]) => canonicalJson((k === 'seed' ? seed : values[k]) ?? null) === canonicalJson(v),
  );
}

/** The Slurm settings of one run: the sweep's, overridden by every matching rule in order. */
export function runSlurmOptions(slurm: SlurmOptions, task: Pick<RunTask, 'values' | 'seed'>): SlurmOptions {
  let out: SlurmOptions = { ...slurm, resources: undefined };
  for (const rule of slurm.resources ?? []) {
    if (!matches(rule, task.values ?? {}, task.seed)) continue;
    const { when: _when, ...settings } = rule;
    out = { ...out, ...settings };
  }
  return out;
}

/** Tasks grouped by their Slurm settings, in first-seen order (one job array per group). */
export function groupByResources(
  slurm: SlurmOptions,
  tasks: readonly RunTask[],
): { slurm: SlurmOptions; tasks: RunTask[] }[] {
  const groups = new Map<string, { slurm: SlurmOptions; tasks: RunTask[] }>();
  for (const t of tasks) {
    const o = runSlurmOptions(slurm, t);
    const key = JSON.stringify(o);
    if (!groups.has(key)) groups.set(key, { slurm: o, tasks: [] });
    groups.get(key)!.tasks.push(t);
  }
  return [...groups.values()];
}

/**
 * Check `slurm.resources` against the sweep: every `when` key is a varied parameter (or `seed`) and
 * every value is one the sweep takes, so a misspelt rule cannot silently match nothing.
 * @throws one line per problem, naming the rule.
 */
export function checkResourceRules(spec: SweepSpec, slurm: SlurmOptions): void {
  const problems: string[] = [];
  (slurm.resources ?? []).forEach((rule, i) => {
    if (Object.keys(rule.when).length === 0) problems.push(`slurm.resources[${i}].when: name at least one parameter`);
    for (const [k, v] of Object.entries(rule.when)) {
      const taken = k === 'seed' ? spec.seeds : spec.parameters.find((p) => p.path === k)?.values;
      if (!taken)
        problems.push(
          `slurm.resources[${i}].when: ${k} is not a varied parameter of the sweep; use one of ${[...spec.parameters.map((p) => p.path), 'seed'].join(', ')}`,
        );
      else if (!taken.some((x) => canonicalJson(x) === canonicalJson(v)))
        problems.push(
          `slurm.resources[${i}].when: ${k} = ${JSON.stringify(v)} is not one of its values ${JSON.stringify(taken)}`,
        );
    }
  });
  if (problems.length > 0) throw new Error(`invalid sweep:\n  ${problems.join('\n  ')}`);
}

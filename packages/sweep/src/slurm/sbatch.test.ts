import { parseSlurmOptions, timeLimitSeconds } from './options';
import { checkResourceRules, groupByResources, runSlurmOptions } from './resources';
import { makeSweepSpec } from '../spec/spec';
import { arrayScript, sbatchOptions } from './sbatch';
import { parseIndexRange, parseScontrol, parseSqueue, parseSqueueDetail, unsatisfiableFix } from './squeue';

const tasks = [0, 1, 2].map((i) => ({
  id: `r${i}`,
  dir: `/res/s/runs/r${i}`,
  script: `/res/s/runs/r${i}/run.sh`,
  label: `seed=${i}`,
}));

describe('sbatch job-array script', () => {
  it("writes the user's partition, time, memory, CPUs, GPUs and setup lines", () => {
    const text = arrayScript({
      name: 'heat',
      tasks,
      slurmDir: '/res/s/slurm',
      cwd: '/repo',
      slurm: {
        partition: 'gpu',
        time: '01:30:00',
        mem: '8G',
        cpusPerTask: 4,
        gpus: 2,
        gpuType: 'a100',
        account: 'phys',
        maxParallel: 2,
        setup: ['module load nodejs/20'],
        sbatchArgs: ['--constraint=skylake'],
      },
    });
    const lines = text.split('\n');
    for (const l of [
      '#SBATCH --job-name=aml-heat',
      '#SBATCH --array=0-2%2',
      '#SBATCH --output=/res/s/slurm/%A_%a.out',
      '#SBATCH --chdir=/repo',
      '#SBATCH --partition=gpu',
      '#SBATCH --time=01:30:00',
      '#SBATCH --mem=8G',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --gres=gpu:a100:2',
      '#SBATCH --account=phys',
      '#SBATCH --constraint=skylake',
      'module load nodejs/20',
      '  /res/s/runs/r2/run.sh',
      'exec bash "${tasks[$SLURM_ARRAY_TASK_ID]}"',
    ])
      expect(lines).toContain(l);
    // #SBATCH lines must precede the first command, or sbatch ignores them
    expect(lines.findIndex((l) => l.startsWith('module'))).toBeGreaterThan(
      Math.max(...lines.map((l, i) => (l.startsWith('#SBATCH') ? i : -1))),
    );
  });
  it('leaves out what is not asked, and refuses paths with whitespace', () => {
    expect(sbatchOptions({})).toEqual([]);
    expect(sbatchOptions({ gpus: 1 })).toEqual(['--gres=gpu:1']);
    expect(() => arrayScript({ name: 'x', tasks, slurmDir: '/my results/slurm', cwd: '/repo', slurm: {} })).toThrow(
      'slurm: path "/my results/slurm" contains whitespace',
    );
  });
  it('validates settings, naming the field', () => {
    expect(() => parseSlurmOptions({ mem: '8 GB' })).toThrow(
      /mem: use a number with an optional K\/M\/G\/T suffix[\s\S]*at mem/,
    );
    expect(() => parseSlurmOptions({ partiton: 'gpu' })).toThrow(/Unrecognized key: "partiton"/);
    expect(() => parseSlurmOptions({ gpus: 0 })).toThrow(/at gpus/);
  });
});

describe('reading squeue and scontrol without accounting', () => {
  it('expands array index ranges', () => {
    expect(parseIndexRange('0-3')).toEqual([0, 1, 2, 3]);
    expect(parseIndexRange('[2,5-6]')).toEqual([2, 5, 6]);
    expect(parseIndexRange('0-9%2')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(parseIndexRange('[4-5%2]')).toEqual([4, 5]);
  });
  it('gives each task its state, pending ranges included', () => {
    // as squeue prints it: the last task runs under the array's own job id, the others under their own
    const s = parseSqueue('7_[2-3]|PENDING\n9_1|RUNNING\n8_0|COMPLETED\n10_[0]|PENDING\n');
    expect([...s.entries()].sort()).toEqual([
      ['10_0', 'PENDING'],
      ['7_2', 'PENDING'],
      ['7_3', 'PENDING'],
      ['8_0', 'COMPLETED'],
      ['9_1', 'RUNNING'],
    ]);
  });
  it('reads exit codes, a signal meaning no exit code', () => {
    const out = [
      'JobId=4 ArrayJobId=1 ArrayTaskId=2 JobName=x JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0',
      'JobId=2 ArrayJobId=1 ArrayTaskId=0 JobName=x JobState=COMPLETED Reason=None ExitCode=0:0',
      'JobId=5 ArrayJobId=1 ArrayTaskId=3 JobName=x JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15',
    ].join('\n');
    const t = parseScontrol(out);
    expect(t.get(2)).toEqual({ state: 'FAILED', exitCode: 3 });
    expect(t.get(0)).toEqual({ state: 'COMPLETED', exitCode: 0 });
    expect(t.get(3)).toEqual({ state: 'TIMEOUT', exitCode: null });
  });
});

describe('preemption settings and pending reasons', () => {
  it('reads Slurm time limits in seconds', () => {
    expect(timeLimitSeconds('30')).toBe(1800); // bare number: minutes
    expect(timeLimitSeconds('05:30')).toBe(330); // MM:SS
    expect(timeLimitSeconds('01:30:00')).toBe(5400);
    expect(timeLimitSeconds('2-03')).toBe(2 * 86400 + 3 * 3600);
    expect(timeLimitSeconds('1-00:00:10')).toBe(86410);
    expect(timeLimitSeconds(undefined)).toBeUndefined();
  });
  it('warns a task a fifth of its time limit ahead at most, and can be turned off', () => {
    const at = (slurm: object) =>
      arrayScript({ name: 'x', tasks, slurmDir: '/s', cwd: '/r', slurm })
        .split('\n')
        .filter((l) => /requeue|signal|MAX_REQUEUES/.test(l));
    expect(at({})).toEqual(['#SBATCH --requeue', '#SBATCH --signal=B:USR1@120', 'export AML_SWEEP_MAX_REQUEUES=5']);
    expect(at({ time: '00:05:00', maxRequeues: 2 })).toEqual([
      '#SBATCH --requeue',
      '#SBATCH --signal=B:USR1@60',
      'export AML_SWEEP_MAX_REQUEUES=2',
    ]);
    expect(at({ requeue: false })).toEqual(['#SBATCH --no-requeue', 'export AML_SWEEP_MAX_REQUEUES=0']);
  });
  it('reads pending reasons and tells the ones that never clear', () => {
    const t = parseSqueueDetail(
      '7_[2-3]|PENDING|PartitionConfig\n8_0|RUNNING|None\n9_[0]|PENDING|ReqNodeNotAvail, UnavailableNodes:gpu7\n',
    );
    expect(t.get('7_3')).toEqual({ state: 'PENDING', reason: 'PartitionConfig' });
    expect(t.get('9_0')!.reason).toBe('ReqNodeNotAvail, UnavailableNodes:gpu7');
    expect(unsatisfiableFix('PartitionConfig')).toMatch(/ask for less \(--cpus-per-task, --mem, --gpus\)/);
    expect(unsatisfiableFix('Priority')).toBeUndefined();
    expect(unsatisfiableFix('Resources')).toBeUndefined();
    // a node that does not exist never frees up; one that exists (down, drained) may
    expect(unsatisfiableFix(t.get('9_0')!.reason, new Set(['node1']))).toMatch(/gpu7 do not exist/);
    expect(unsatisfiableFix(t.get('9_0')!.reason, new Set(['gpu7']))).toBeUndefined();
  });
});

describe('resources by grid values', () => {
  const slurm = parseSlurmOptions({
    mem: '2G',
    time: '00:30:00',
    resources: [
      { when: { width: 200 }, mem: '8G' },
      { when: { width: 200, seed: 1 }, time: '02:00:00' },
    ],
  });
  const t = (width: number, seed: number) => ({
    id: `w${width}s${seed}`,
    dir: '/d',
    script: '/d/run.sh',
    label: '',
    values: { width },
    seed,
  });
  it("applies every matching rule in order over the sweep's settings", () => {
    expect(runSlurmOptions(slurm, t(50, 0))).toMatchObject({ mem: '2G', time: '00:30:00' });
    expect(runSlurmOptions(slurm, t(200, 0))).toMatchObject({ mem: '8G', time: '00:30:00' });
    expect(runSlurmOptions(slurm, t(200, 1))).toMatchObject({ mem: '8G', time: '02:00:00' });
  });
  it('groups runs with the same resources into one array each, in first-seen order', () => {
    const groups = groupByResources(slurm, [t(50, 0), t(200, 0), t(50, 1), t(200, 1), t(200, 2)]);
    expect(groups.map((g) => [g.slurm.mem, g.slurm.time, g.tasks.map((x) => x.id)])).toEqual([
      ['2G', '00:30:00', ['w50s0', 'w50s1']],
      ['8G', '00:30:00', ['w200s0', 'w200s2']],
      ['8G', '02:00:00', ['w200s1']],
    ]);
  });
  it('refuses a rule naming a parameter or value the sweep does not vary', () => {
    const spec = makeSweepSpec({
      name: 's',
      base: { seed: 0, width: 50 },
      parameters: [{ path: 'width', values: [50, 200] }],
      seeds: 2,
      seedPath: 'seed',
      command: 'x {config}',
    });
    expect(() => checkResourceRules(spec, slurm)).not.toThrow();
    expect(() =>
      checkResourceRules(
        spec,
        parseSlurmOptions({
          resources: [
            { when: { widht: 200 }, mem: '8G' },
            { when: { width: 100 }, mem: '8G' },
          ],
        }),
      ),
    ).toThrow(
      'invalid sweep:\n  slurm.resources[0].when: widht is not a varied parameter of the sweep; use one of width, seed\n  slurm.resources[1].when: width = 100 is not one of its values [50,200]',
    );
  });
});

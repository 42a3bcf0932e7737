import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinySweep } from '../../tests/fixtures/tiny';
import { localExecutor } from '../executors/local';
import { runSweep } from '../runs/run-sweep';
import { collectSweep } from './collect';
import { sweepReport, wantsLogAxis } from './report';
import { formatOverhead, overheadOf } from './overhead';
import { chooseMetric, summarize } from './stats';
import { rowsToTable, toCsv } from './table';

describe('summarize and axis choice', () => {
  it('gives the sample mean and standard deviation', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12); // sum of squared deviations 5, n-1 = 3
    expect(summarize([7]).std).toBe(0);
  });
  it('uses a log axis only for positive values spanning a decade', () => {
    expect(wantsLogAxis([0.01, 0.3])).toBe(true);
    expect(wantsLogAxis([2000, 10000])).toBe(false);
    expect(wantsLogAxis([0, 1, 100])).toBe(false);
  });
  it('prefixes a metric named like a table column', () => {
    const row = {
      id: 'a',
      values: { lr: 0.1 },
      seed: 3,
      state: 'done',
      exitCode: 0,
      seconds: 1,
      executor: 'local',
      metrics: { seed: 3, lr: 0.1, relL2: 0.5 },
      log: '',
    };
    const t = rowsToTable([row]);
    expect(t.columns).toEqual([
      'id',
      'state',
      'exitCode',
      'lr',
      'seed',
      'metrics.seed',
      'metrics.lr',
      'relL2',
      'seconds',
      'cpuSeconds',
      'executor',
    ]);
    expect(t.rows[0]).toEqual(['a', 'done', 0, 0.1, 3, 3, 0.1, 0.5, 1, null, 'local']);
  });
  it('quotes CSV fields holding commas or quotes', () => {
    expect(
      toCsv({
        columns: ['a', 'b'],
        rows: [
          ['[1,2]', 'say "hi"'],
          [1.5, null],
        ],
      }),
    ).toBe('a,b\n"[1,2]","say ""hi"""\n1.5,\n');
  });
});

describe('per-run overhead', () => {
  const row = (state: string, seconds: number | null, metrics: Record<string, number>, cpuSeconds?: number) => ({
    id: 'r',
    values: {},
    seed: 0,
    state,
    exitCode: 0,
    seconds,
    cpuSeconds,
    executor: 'local',
    metrics,
    log: '',
  });
  it('is the wrapper time minus the training time the experiment reports, over finished runs that report it', () => {
    const o = overheadOf([
      row('done', 3.5, { trainSeconds: 3 }),
      row('done', 2.25, { 'training.seconds': 1 }),
      row('done', 9, {}),
      row('failed', 5, { trainSeconds: 1 }),
    ])!;
    expect(o).toEqual({
      n: 2,
      meanSeconds: (0.5 + 1.25) / 2,
      medianSeconds: (0.5 + 1.25) / 2,
      maxSeconds: 1.25,
      meanWallSeconds: (3.5 + 2.25) / 2,
    });
    // the median of an odd count is its middle value
    expect(
      overheadOf([
        row('done', 5, { trainSeconds: 1 }),
        row('done', 1.5, { trainSeconds: 1 }),
        row('done', 2, { trainSeconds: 1 }),
      ])!.medianSeconds,
    ).toBe(1);
    expect(formatOverhead(o)).toBe(
      'per-run overhead: 0.88 s outside training (max 1.25 s; runs of 2.88 s on average; 2 runs)',
    );
    expect(overheadOf([row('done', 2, {})])).toBeUndefined();
    // with the CPU time the wrapper measured: its mean over the same runs
    const c = overheadOf([row('done', 3.5, { trainSeconds: 3 }, 1.5), row('done', 2, { trainSeconds: 1 }, 0.75)])!;
    expect(c.meanCpuSeconds).toBeCloseTo(1.125, 12);
    expect(formatOverhead(c)).toBe(
      'per-run overhead: 0.75 s outside training (max 1.00 s; runs of 2.75 s on average, 1.13 s CPU; 2 runs)',
    );
    // the report states it too, and leaves it out when no run reports its training time
    const html = sweepReport([row('done', 3.5, { trainSeconds: 3 }, 1.5), row('done', 2, { trainSeconds: 1 }, 0.75)], {
      name: 's',
    }).toHtml('');
    expect(html).toContain('Time outside training');
    expect(html).toContain(formatOverhead(c));
    expect(sweepReport([row('done', 2, {})], { name: 's' }).toHtml('')).not.toContain('Time outside training');
  });
});

describe('collect', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sweep-collect-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one table and a report with the error against each parameter, the best run and the failures', async () => {
    const spec = tinySweep(
      'grid',
      dir,
      [
        { path: 'training.lr', values: [0.01, 0.3] },
        { path: 'model.powers', values: [[1], [1, 2]] },
      ],
      2,
    );
    writeFileSync(join(dir, 'fail-seed-1'), '');
    const summary = await runSweep({ spec, resultsDir: dir, executor: localExecutor({ jobs: 2 }) });
    expect(summary).toMatchObject({ total: 8, succeeded: 4 });
    const out = collectSweep(join(dir, 'grid'), { plotly: 'reference' });

    expect(out.metric).toEqual({ name: 'testMse', minimize: true });
    expect(out.rows).toHaveLength(8);
    // Oracle for "best": the minimum of testMse over the metrics.json files the runs wrote.
    const byId = new Map(
      out.rows
        .filter((r) => r.state === 'done')
        .map((r) => [
          r.id,
          JSON.parse(readFileSync(join(dir, 'grid/runs', r.id, 'metrics.json'), 'utf8')).testMse as number,
        ]),
    );
    const minId = [...byId].sort((a, b) => a[1] - b[1])[0][0];
    expect(out.best?.id).toBe(minId);
    expect(out.best?.values).toEqual({ 'training.lr': 0.3, 'model.powers': [1, 2] }); // only lr 0.3 with x^2 fits in 200 steps

    const csv = readFileSync(out.files.csv, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,state,exitCode,training.lr,model.powers,seed,trainMse,testMse,seconds,cpuSeconds,executor');
    expect(csv).toHaveLength(9);
    expect(csv.filter((l) => l.includes(',failed,3,'))).toHaveLength(4);
    expect(csv.some((l) => l.includes(',"[1,2]",'))).toBe(true);
    const json = JSON.parse(readFileSync(out.files.json, 'utf8'));
    expect(json[0].metrics.testMse).toBe(byId.get(json[0].id));
    // every ended run has the CPU time its wrapper measured: a Node process costs tens of milliseconds at least
    for (const r of out.rows) {
      expect(r.cpuSeconds).toBeGreaterThan(0.02);
      expect(r.cpuSeconds).toBeLessThan(60);
    }

    const html = readFileSync(out.files.report, 'utf8');
    const specs = [...html.matchAll(/<script type="application\/json" id="fig-\d+-spec">(.*?)<\/script>/gs)].map((m) =>
      JSON.parse(m[1]),
    );
    expect(specs).toHaveLength(2);
    expect(specs[0].layout.xaxis).toMatchObject({ type: 'log', title: { text: 'training.lr' } });
    expect(specs[1].layout.xaxis.type).toBe('category');
    expect(specs[0].layout.yaxis.type).toBe('log'); // errors from ~1e-5 to ~1e-1
    // Mean and min-max bars of one series against the runs' own numbers.
    const quadAt03 = out.rows
      .filter(
        (r) =>
          r.state === 'done' && r.values['training.lr'] === 0.3 && JSON.stringify(r.values['model.powers']) === '[1,2]',
      )
      .map((r) => byId.get(r.id)!);
    const series = specs[0].data.find((t: { name: string }) => t.name === 'model.powers=[1,2] (mean over seeds)');
    const at = series.x.indexOf(0.3);
    expect(series.y[at]).toBeCloseTo(quadAt03.reduce((a, b) => a + b, 0) / quadAt03.length, 15);
    expect(series.y[at] + series.error_y.array[at]).toBeCloseTo(Math.max(...quadAt03), 15);
    expect(series.y[at] - series.error_y.arrayminus[at]).toBeCloseTo(Math.min(...quadAt03), 15);
    const star = specs[0].data.find((t: { name: string }) => t.name === `best run ${minId}`);
    expect(star.y[0]).toBe(byId.get(minId));
    expect(html).toContain('Failed runs');
    expect(html).toContain('Spread over seeds');
  });

  it('rejects an unknown metric, naming the ones available', () => {
    const rows = [
      {
        id: 'a',
        values: {},
        seed: 0,
        state: 'done',
        exitCode: 0,
        seconds: 1,
        executor: 'local',
        metrics: { relL2: 0.1, accuracy: 0.9 },
        log: '',
      },
    ];
    expect(() => chooseMetric(rows, 'l2')).toThrow(
      'collect: metric "l2" is not a numeric metric of any run; available: relL2, accuracy',
    );
    expect(chooseMetric(rows, 'accuracy')).toEqual({ name: 'accuracy', minimize: false });
    expect(chooseMetric(rows)).toEqual({ name: 'relL2', minimize: true });
  });
});

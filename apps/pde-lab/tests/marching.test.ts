/**
 * A time-marching run saves one network per window and `eval` scores every point with its own
 * window's network: on the report grid's points, eval gives the errors the run measured, over the
 * whole domain and window by window.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readManifest } from '@aml/core/node';
import { pinnAdapter } from '../src/adapter/pinn';
import { evalResults } from '../src/commands/eval';
import { runExperiment } from '../src/commands/run';
import { plotGrid } from '@aml/pinn';
import { removeDir, tempDir } from '../src/testing/tmp';
import { tinyHeat } from '../src/testing/tiny';

const exact = (x: number, t: number) => Math.exp(-(Math.PI ** 2) * t) * Math.sin(Math.PI * x);

describe('time-marching: every window saved and evaluated', () => {
  let root: string;
  let out: string;
  let metrics: Record<string, any>;
  /** A CSV of the report grid's points (11 x 11 over [0, 1]^2) with t in [lo, hi], and the exact solution there. */
  const csv = (name: string, keep: (t: number) => boolean) => {
    const g = plotGrid({ lo: [0, 0], hi: [1, 1] }, 11);
    const rows: string[] = ['x,t,u'];
    for (let i = 0; i < g.n; i++) {
      const [x, t] = [g.points[2 * i], g.points[2 * i + 1]];
      if (keep(t)) rows.push(`${x},${t},${exact(x, t)}`);
    }
    const file = path.join(root, name);
    fs.writeFileSync(file, rows.join('\n') + '\n');
    return file;
  };
  beforeAll(async () => {
    root = tempDir();
    const file = path.join(root, 'march.json');
    fs.writeFileSync(
      file,
      JSON.stringify(
        tinyHeat((p) => ((p.training.adam = { steps: 40, lr: 0.02 }), (p.training.marching = { windows: 2 }))),
      ),
    );
    out = path.join(root, 'out');
    metrics = (await runExperiment({ experiment: file, out, backend: 'cpu', echo: null }, pinnAdapter)).metrics;
  }, 120_000);
  afterAll(() => removeDir(root));

  it('saves both windows with their time ranges and records per-window errors', () => {
    const m = readManifest(path.join(out, 'model'))!;
    expect(m.config.windows).toEqual([
      [0, 0.5],
      [0.5, 1],
    ]);
    expect(m.params.filter((p) => p.startsWith('window-0/')).length).toBe(
      m.params.filter((p) => p.startsWith('window-1/')).length,
    );
    expect(metrics.history.windows).toEqual([
      { t0: 0, t1: 0.5, steps: 40, start: 0 },
      { t0: 0.5, t1: 1, steps: 40, start: 40 },
    ]);
    expect(metrics.windowErrors.map((w: any) => w.points)).toEqual([55, 66]);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('error per time window');
  });

  it.each([
    ['whole domain', (t: number) => t >= 0, (m: Record<string, any>) => m.errors.u],
    ['window 0', (t: number) => t < 0.5, (m: Record<string, any>) => m.windowErrors[0].errors.u],
    ['window 1', (t: number) => t >= 0.5, (m: Record<string, any>) => m.windowErrors[1].errors.u],
  ])('eval on the report grid points of the %s gives the run own errors', async (name, keep, pick) => {
    const r = await evalResults(
      { dir: out, reference: csv(`${name.replace(/ /g, '-')}.csv`, keep), backend: 'cpu', log: () => undefined },
      pinnAdapter,
    );
    const want = pick(metrics);
    expect(r.errors.u.relL2).toBeCloseTo(want.relL2, 6);
    expect(r.errors.u.maxAbs).toBeCloseTo(want.maxAbs, 6);
  });

  it.each([
    ['adam', 0, 25],
    ['adam', 1, 10],
    ['lbfgs', 1, 2],
  ])(
    'interrupted during %s of window %i and resumed: the metrics of the run never stopped',
    async (phase, window, after) => {
      const file = path.join(root, `cut-${phase}-${window}.json`);
      const config = tinyHeat(
        (p) => (
          (p.training.adam = { steps: 30, lr: 0.02 }),
          (p.training.lbfgs = { steps: 3 }),
          (p.training.marching = { windows: 2 })
        ),
      );
      fs.writeFileSync(file, JSON.stringify(config));
      const whole = path.join(root, `whole-${phase}-${window}`);
      const cut = path.join(root, `cut-${phase}-${window}`);
      await runExperiment({ experiment: file, out: whole, backend: 'cpu', echo: null }, pinnAdapter);
      const ac = new AbortController();
      let seen = 0;
      // progress lines restart at step 1 in each window: count the window's phase lines
      let w = -1;
      const stopAt = (l: string) => {
        if (/^adam step 1\//.test(l)) w++;
        if (w === window && new RegExp(`^${phase} step`).test(l) && ++seen === after) ac.abort('SIGTERM');
      };
      await expect(
        runExperiment(
          {
            experiment: file,
            out: cut,
            backend: 'cpu',
            progressEvery: 0,
            checkpointEvery: 1000,
            signal: ac.signal,
            echo: stopAt,
          },
          pinnAdapter,
        ),
      ).rejects.toThrow(/interrupted/);
      const stopped = JSON.parse(fs.readFileSync(path.join(cut, 'metrics.json'), 'utf8'));
      expect(stopped.steps).toBe(window * 33 + (phase === 'adam' ? after : 30 + after));
      const { metrics: resumed } = await runExperiment(
        { experiment: file, out: cut, backend: 'cpu', echo: null, resume: true },
        pinnAdapter,
      );
      expect(resumed.resumedAt).toBe(stopped.steps);
      const comparable = (m: Record<string, any>) => {
        const { trainSeconds: _t, wallSeconds: _w, resumedAt: _r, backend: _b, ...rest } = m;
        return { ...rest, phases: m.phases.map(({ seconds: _s, ...q }: { seconds: number }) => q) };
      };
      const a = comparable(JSON.parse(fs.readFileSync(path.join(whole, 'metrics.json'), 'utf8')));
      const b = comparable(JSON.parse(fs.readFileSync(path.join(cut, 'metrics.json'), 'utf8')));
      expect(b.phases.map((q: any) => [q.name, q.start, q.steps])).toEqual([
        ['adam', 0, 30],
        ['lbfgs', 30, 3],
        ['adam', 33, 30],
        ['lbfgs', 63, 3],
      ]);
      expect(b).toEqual(a);
    },
    240_000,
  );
});

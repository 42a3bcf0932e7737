/**
 * pde-lab never lies and never leaves a failed run behind, in-process: every check runs before the
 * results folder is touched (option ranges, memory, backend, expressions, paths), messages name the
 * field and the fix, divergence and interruption end the run with their status, and fast-check
 * generates malformed configs and expressions that must each fail in one line naming the field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { readManifest } from '@aml/core/node';
import { pinnAdapter } from '../src/adapter/pinn';
import { RunEndedError } from '../src/cli/exit';
import { buildProgram, version } from '../src/cli/program';
import { runExperiment } from '../src/commands/run';
import { removeDir, tempDir } from '../src/testing/tmp';
import { tinyHeat } from '../src/testing/tiny';

describe('pde-lab run: checks before anything is written', () => {
  let root: string;
  let printed: string[];
  const cli = (...args: string[]) =>
    buildProgram({
      adapter: pinnAdapter,
      out: (t) => printed.push(t),
      helpOut: (t) => printed.push(t),
      helpErr: (t) => printed.push(t),
      log: null,
    }).parseAsync(args, { from: 'user' });
  const write = (name: string, json: unknown) => {
    const f = path.join(root, `${name}.json`);
    fs.writeFileSync(f, typeof json === 'string' ? json : JSON.stringify(json));
    return f;
  };
  /** Run `config`; expect it to fail with `message` and leave no results folder. */
  const fails = async (name: string, config: unknown, message: string | RegExp, ...flags: string[]) => {
    const out = path.join(root, 'out', name);
    const err = await cli('run', write(name, config), '--out', out, '--backend', 'cpu', ...flags).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.message).toEqual(
      typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
    );
    expect(err!.message).not.toMatch(/problem: problem:|EISDIR|EEXIST|ENOENT|ENOTDIR/);
    expect(fs.existsSync(out)).toBe(false);
    return err!;
  };
  beforeAll(() => (root = tempDir()));
  afterAll(() => removeDir(root));
  beforeEach(() => (printed = []));

  it.each([
    [
      'lr 0',
      (p: any) => (p.training.adam.lr = 0),
      'problem: invalid config: training.adam.lr: must be a finite number > 0, got 0',
    ],
    [
      'lr negative',
      (p: any) => (p.training.adam.lr = -1e-3),
      'problem: invalid config: training.adam.lr: must be a finite number > 0, got -0.001',
    ],
    [
      'points beyond memory',
      (p: any) => (p.training.points.domain = 1e9),
      /problem\.training\.points\.domain: 1000000000 points \(1000000016 in all\) need about [\d.]+ [GT]B to train this network, more than the [\d.]+ [MG]B available/,
    ],
    [
      'division by zero',
      (p: any) => (p.equation = 'u_t = u_xx/0'),
      'problem: equation "u_t = u_xx/0": division by zero: the denominator "0" is always 0',
    ],
    [
      'division by x - x in h1',
      (p: any) => (p.constraint = { h1: 'sin(pi*x)/(x-x)', h2: 't' }),
      'problem: constraint.h1 "sin(pi*x)/(x-x)": division by zero: the denominator "(x - x)" is always 0',
    ],
    [
      'constructor as a symbol',
      (p: any) => (p.equation = 'u_t = constructor*u_xx'),
      'equation "u_t = constructor*u_xx": unknown symbol constructor',
    ],
    ['__proto__ as a symbol', (p: any) => (p.equation = 'u_t = __proto__'), 'unknown symbol __proto__'],
    [
      'toString in a value',
      (p: any) => (p.conditions[0].value = 'toString'),
      /conditions\[0\].*"toString": unknown symbol toString/,
    ],
    ['valueOf as a boundary', (p: any) => (p.conditions[1].on = 'valueOf'), 'unknown symbol valueOf'],
    [
      'toString as an output',
      (p: any) => ((p.outputs = ['toString']), (p.equation = 'toString_t = toString_xx')),
      "problem: outputs: 'toString' is a reserved name",
    ],
    [
      'valueOf as a parameter',
      (p: any) => ((p.parameters = { valueOf: 1 }), (p.equation = 'u_t = valueOf*u_xx')),
      "problem: parameters: 'valueOf' is a reserved name",
    ],
    [
      'deep nesting',
      (p: any) => (p.equation = `u_t = ${'('.repeat(1000)}u_xx${')'.repeat(1000)}`),
      'problem: equation: brackets are nested 1000 levels deep, more than the limit of 100',
    ],
    [
      'equation not text',
      (p: any) => (p.equation = 42),
      /problem: invalid config: equation: expected string or array$/,
    ],
    [
      'checkpoint every 0',
      (p: any) => (p.training.checkpoint = { every: 0 }),
      'training.checkpoint.every: must be a positive integer',
    ],
  ])('%s', async (name, edit, message) => {
    await fails(name.replace(/\W+/g, '-'), tinyHeat(edit), message);
  });

  it('an unavailable backend is refused before the folder exists, naming the flag and the alternative', async () => {
    await fails(
      'node-backend',
      tinyHeat(),
      /^--backend node: the backend cannot start here \(.*\); use --backend wasm/,
      '--backend',
      'node',
    );
  });

  it('null, an array, a folder and a file in the way each get a message with the path and the fix', async () => {
    await fails('null', 'null', /null\.json: a config must be a JSON object .*got null$/);
    await fails('array', '[1]', /array\.json: a config must be a JSON object .*got an array$/);
    const folder = path.join(root, 'a-folder.json');
    fs.mkdirSync(folder);
    await expect(cli('run', folder)).rejects.toThrow(
      `${folder} is a folder; give the path of a config .json file or an experiment name (pde-lab list)`,
    );
    const file = path.join(root, 'in-the-way');
    fs.writeFileSync(file, 'x');
    await expect(
      cli('run', write('ok', tinyHeat()), '--out', path.join(file, 'sub'), '--backend', 'cpu'),
    ).rejects.toThrow(
      `results folder ${path.join(file, 'sub')}: ${file} is a file, not a folder; pick another folder with --out <dir>`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('run without an experiment says what to give (not a silent exit); --version prints the version', async () => {
    const err = await cli('run').then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      'run: name an experiment (see pde-lab list) or give --config <file>, e.g. pde-lab run heat',
    );
    expect(err?.constructor.name).toBe('ConfigError'); // main.ts prints it (commander's own errors it leaves to commander)
    await expect(cli('--version')).rejects.toThrow(version());
    expect(printed.join('')).toBe(`${version()}\n`);
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--resume refuses flags that would change the run, and a folder with nothing to resume', async () => {
    await expect(cli('run', 'heat', '--resume', '--quick')).rejects.toThrow(
      'run --resume continues the run as saved in its results folder (config.json); drop --quick',
    );
    const out = path.join(root, 'never-ran');
    await expect(cli('run', write('r', tinyHeat()), '--resume', '--out', out)).rejects.toThrow(
      `--resume: ${out} holds no run to resume (config.json is missing); start it without --resume`,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a failure after the folder was made (here: building the network) removes what the run wrote', async () => {
    const out = path.join(root, 'out', 'build-fails');
    const broken = {
      ...pinnAdapter,
      build: () => {
        throw new Error('the network cannot be built');
      },
    };
    await expect(
      runExperiment({ experiment: write('build-fails', tinyHeat()), out, backend: 'cpu', echo: null }, broken),
    ).rejects.toThrow('the network cannot be built');
    expect(fs.existsSync(out)).toBe(false);
    // a folder the user made stays, with their files, without the run's
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    await expect(
      runExperiment({ experiment: write('build-fails', tinyHeat()), out, backend: 'cpu', echo: null }, broken),
    ).rejects.toThrow();
    expect(fs.readdirSync(out)).toEqual(['notes.txt']);
  });

  it('a run that diverges stops, exits 3 with the term and step on stderr, and records status diverged', async () => {
    // sqrt(x - 2) is NaN everywhere on [0, 1] but not a constant: only training finds it
    const out = path.join(root, 'out', 'nan');
    const lines: string[] = [];
    const err = await runExperiment(
      {
        experiment: write(
          'nan',
          tinyHeat((p) => ((p.equation = 'u_t = u_xx + sqrt(x - 2)'), (p.training.lbfgs = { steps: 5 }))),
        ),
        out,
        backend: 'cpu',
        echo: (l) => lines.push(l),
      },
      pinnAdapter,
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(RunEndedError);
    expect((err as RunEndedError).exitCode).toBe(3);
    expect(err!.message).toMatch(
      /^training diverged: loss term 'pde' became NaN at step 1 \(adam\); no step had a finite loss; no checkpoint was written before it\. Lower training\.adam\.lr/,
    );
    const m = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(m.status).toBe('diverged');
    expect(m.divergence).toEqual({ phase: 'adam', step: 0, term: 'pde', value: 'NaN' });
    expect(m.phases.map((p: { name: string }) => p.name)).toEqual(['adam']); // L-BFGS did not run on a diverged model
    expect(m.errors).toBeUndefined(); // no scores of a model that is not a result
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(false);
    // the message is the error (main prints it once); log.txt keeps it, the echo does not repeat it
    expect(fs.readFileSync(path.join(out, 'log.txt'), 'utf8')).toContain("training diverged: loss term 'pde'");
    expect(lines.join('\n')).not.toContain('training diverged');
    expect(lines.join('\n')).toContain('run tiny');
  });

  it('a run that diverges mid-way keeps the last checkpoint before the bad step and says which it is', async () => {
    // k is learned towards 0 and crosses 0.4 after a few hundred steps: then sqrt(k - 0.4) is NaN (times 0, still NaN)
    const out = path.join(root, 'out', 'nan-later');
    const config = tinyHeat(
      (p) => (
        (p.parameters = { k: { initial: 0.5, trainable: true } }),
        (p.equation = 'u_t = u_xx - k - 0*sqrt(k - 0.4)'),
        (p.training.adam.steps = 400)
      ),
    );
    const err = await runExperiment(
      { experiment: write('nan-later', config), out, backend: 'cpu', echo: null, checkpointEvery: 10 },
      pinnAdapter,
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect((err as RunEndedError).exitCode).toBe(3);
    const m = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    const bad = m.divergence.step; // 0-based
    expect(bad).toBeGreaterThan(20);
    const saved = readManifest(path.join(out, 'checkpoint'))!.step;
    expect(saved).toBe(Math.floor(bad / 10) * 10); // the last periodic checkpoint, not one of the bad step
    expect(err!.message).toContain(`became NaN at step ${bad + 1} (adam); the last good step was ${bad} (loss `);
    expect(err!.message).toContain(`${path.join(out, 'checkpoint')} holds the checkpoint of step ${saved}.`);
    expect(m.finalLoss).toBeNull(); // NaN, written as null: the metrics do not pretend
  });

  it('an interrupted run finishes its step, saves a checkpoint and metrics with status interrupted, and throws exit 130', async () => {
    const out = path.join(root, 'out', 'int');
    const ac = new AbortController();
    let seen = 0;
    const err = await runExperiment(
      {
        experiment: write(
          'int',
          tinyHeat((p) => ((p.training.adam.steps = 400), (p.training.lbfgs = { steps: 50 }))),
        ),
        out,
        backend: 'cpu',
        progressEvery: 0,
        checkpointEvery: 1000,
        signal: ac.signal,
        echo: (l) => void (/^adam step/.test(l) && ++seen === 5 && ac.abort('SIGINT')),
      },
      pinnAdapter,
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(RunEndedError);
    expect((err as RunEndedError).exitCode).toBe(130);
    const m = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(m.status).toBe('interrupted');
    expect(m.steps).toBe(5);
    expect(readManifest(path.join(out, 'checkpoint'))!.step).toBe(5); // written at the stop, not at the 1000-step interval
    expect(err!.message).toBe(
      `interrupted (SIGINT) after 5 steps; checkpoint saved in ${path.join(out, 'checkpoint')}. Resume with: pde-lab run ${path.join(root, 'int.json')} --resume --out ${out}`,
    );
  });

  it.each([
    ['adam', 40],
    ['lbfgs', 10],
  ])(
    'interrupted during %s (after %i of its steps) and resumed: the same metrics as a run never stopped',
    async (phase, after) => {
      const config = write(
        `resume-${phase}`,
        tinyHeat((p) => ((p.training.adam.steps = 80), (p.training.lbfgs = { steps: 30 }))),
      );
      const whole = path.join(root, 'out', `whole-${phase}`);
      const cut = path.join(root, 'out', `cut-${phase}`);
      await runExperiment({ experiment: config, out: whole, backend: 'cpu', echo: null }, pinnAdapter);
      const ac = new AbortController();
      let seen = 0;
      const stopAt = (l: string) =>
        void (new RegExp(`^${phase} step`).test(l) && ++seen === after && ac.abort('SIGTERM'));
      const err = await runExperiment(
        {
          experiment: config,
          out: cut,
          backend: 'cpu',
          progressEvery: 0,
          checkpointEvery: 7,
          signal: ac.signal,
          echo: stopAt,
        },
        pinnAdapter,
      ).then(
        () => null,
        (e: Error) => e,
      );
      expect((err as RunEndedError).exitCode).toBe(143);
      await runExperiment({ experiment: config, out: cut, backend: 'cpu', echo: null, resume: true }, pinnAdapter);
      const pick = (m: Record<string, any>) => ({
        status: m.status,
        steps: m.steps,
        finalLoss: m.finalLoss,
        finalTerms: m.finalTerms,
        errors: m.errors,
        phases: m.phases.map((q: any) => [q.name, q.steps]),
      });
      const [a, b] = [path.join(whole, 'metrics.json'), path.join(cut, 'metrics.json')].map((f) =>
        JSON.parse(fs.readFileSync(f, 'utf8')),
      );
      expect(b.resumedAt).toBe(phase === 'adam' ? 40 : 80 + 10);
      expect(pick(b)).toEqual(pick(a));
    },
  );

  it('property: a generated bad expression in any field fails in one line naming that field, and leaves no folder', async () => {
    const ident = fc
      .stringMatching(/^[a-z][a-z0-9]{0,6}$/)
      .filter((w) => !['x', 't', 'u', 'pi', 'e'].includes(w) && !/^u_/.test(w));
    const bad = fc.oneof(
      ident.map((w) => `u_xx + ${w}`), // unknown symbol
      fc.integer({ min: 1, max: 9 }).map((n) => `u_xx/(${'('.repeat(n)}x - x${')'.repeat(n)})`), // always zero below a division
      fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((c) => `u_xx + (${c.toPrecision(4)})/0`),
      fc.integer({ min: 1, max: 5 }).map((n) => `u_xx + ${'('.repeat(n)}x`), // unbalanced
      fc.constantFrom('u_xx + sqrt(-4)', 'u_xx + log(0)', 'u_xx + hasOwnProperty', 'u_xx + __proto__'),
    );
    const fields: [string, (p: any, e: string) => void][] = [
      ['equation', (p, e) => (p.equation = `u_t = ${e}`)],
      ['conditions[0]', (p, e) => (p.conditions[0].value = e.replace(/u_xx/g, 'x'))],
      ['constraint.h1', (p, e) => (p.constraint = { h1: e.replace(/u_xx/g, 'x'), h2: 't' })],
    ];
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: fields.length - 1 }), bad, async (k, e) => {
        const [field, put] = fields[k];
        const err = await fails(
          `expr-${i++}`,
          tinyHeat((p) => put(p, e)),
          field,
        );
        expect(err.message.split('\n')).toHaveLength(1);
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it('property: a malformed config fails in one line naming the field, and leaves no folder', async () => {
    const edits: [string, (p: any, v: any) => void, fc.Arbitrary<unknown>][] = [
      [
        'training.adam.lr',
        (p, v) => (p.training.adam.lr = v),
        fc.oneof(fc.double({ max: 0, noNaN: true }), fc.constant('fast')),
      ],
      [
        'training.adam.steps',
        (p, v) => (p.training.adam.steps = v),
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.double({ min: 0.1, max: 9.9 }).filter((x) => !Number.isInteger(x)),
        ),
      ],
      [
        'network.layers',
        (p, v) => (p.network.layers = v),
        fc.oneof(fc.constant([]), fc.constant([0]), fc.constant(['8'])),
      ],
      ['training.points', (p, v) => (p.training.points = v), fc.oneof(fc.integer({ max: 0 }), fc.constant('many'))],
      [
        'equation',
        (p, v) => (p.equation = v),
        fc.oneof(
          fc.constantFrom('u_t = ', 'u_t = u_xx/(t-t)', 'u_t = hasOwnProperty', 'u_t = 1/0', 'u_t = ((u_xx'),
          fc.constant(42),
        ),
      ],
    ];
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: edits.length - 1 }).chain((k) => fc.tuple(fc.constant(k), edits[k][2])),
        async ([k, v]) => {
          const [field, edit] = edits[k];
          const name = `prop-${i++}`;
          const err = await fails(
            name,
            tinyHeat((p) => edit(p, v)),
            field === 'training.points' ? /training\.points/ : field,
          );
          expect(err.message.split('\n')).toHaveLength(1);
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });
});

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_COMMAND, sweep } from './sweep';

describe('data-lab sweep', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'data-sweep-'));
    writeFileSync(
      join(dir, 'analysis.json'),
      JSON.stringify({ data: 'x.csv', target: 'y', model: { hidden: [32] }, training: { lr: 1e-3 }, seed: 0 }),
    );
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the shared sweep command, running data-lab analyze per config', async () => {
    expect(sweep.name()).toBe('sweep');
    expect(RUN_COMMAND).toMatch(/apps\/data-lab\/src\/main\.ts analyze --config \{config\} --out \{out\} --force$/);
    const out: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((l: string) => void out.push(l));
    await sweep.parseAsync(
      [
        'run',
        '--base',
        join(dir, 'analysis.json'),
        '--set',
        'model.hidden=[32];[64,64]',
        '--set',
        'training.lr=1e-3,1e-2',
        '--seeds',
        '5',
        '--results',
        join(dir, 'r'),
        '--dry-run',
      ],
      { from: 'user' },
    );
    expect(out[0]).toBe(
      'dry run: sweep analysis-sweep: 20 runs; would run 20, skip 0 finished, 0 in progress, 0 failed (retry with --retry-failed)',
    );
    expect(
      out
        .slice(1)
        .filter((l) =>
          /^ {2}[0-9a-f]{12} run +model\.hidden=\[(32|64,64)\] training\.lr=0\.0(1|01) seed=[0-4]$/.test(l),
        ),
    ).toHaveLength(20);
    await expect(
      sweep.parseAsync(
        ['run', '--base', join(dir, 'analysis.json'), '--set', 'training.lr=fast', '--results', join(dir, 'r')],
        { from: 'user' },
      ),
    ).rejects.toThrow('parameter training.lr: value 1 "fast" is a string, but the base config holds a number (0.001)');
    expect(existsSync(join(dir, 'r'))).toBe(false);
    // the analysis schema checks every expanded config: hidden widths must be positive integers
    await expect(
      sweep.parseAsync(
        ['run', '--base', join(dir, 'analysis.json'), '--set', 'model.hidden=[32];[0]', '--results', join(dir, 'r')],
        { from: 'user' },
      ),
    ).rejects.toThrow(/run model\.hidden=\[0\] seed=0: [\s\S]*model\.hidden\[0\]/);
    expect(existsSync(join(dir, 'r'))).toBe(false);
  });
});

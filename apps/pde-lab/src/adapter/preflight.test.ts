/** The memory estimate against a hand count, and the checks' messages. */
import { checkMemory, estimateTrainingBytes, formatBytes } from './preflight';
import { resumeCommand } from '../commands/resume';

describe('memory estimate', () => {
  it('is points x (sum of widths + 1) x derivative blocks x 16 bytes', () => {
    // d = 2: blocks 1 + 2 + 3 = 6; widths 20 + 20 + 1 = 41; 10,000 + 400 points
    const m = {
      inputs: 2,
      layers: [20, 20],
      counts: [
        { field: 'training.points.domain', points: 10_000 },
        { field: 'training.points.boundary', points: 400 },
      ],
    };
    expect(estimateTrainingBytes(m)).toBe(10_400 * 41 * 6 * 16);
    expect(() => checkMemory(m, 'f.json: problem', 2 ** 31)).not.toThrow();
  });

  it("refuses with the largest count's field, the total and both sizes", () => {
    const m = {
      inputs: 1,
      layers: [50],
      counts: [
        { field: 'training.points', points: 4_000_000 },
        { field: 'training.points.boundary', points: 2 },
      ],
    };
    // 4,000,002 x 51 x 3 x 16 = 9.79e9 bytes = 9.12 GB against 1 GB
    expect(() => checkMemory(m, 'f.json: problem', 2 ** 30)).toThrow(
      'f.json: problem.training.points: 4000000 points (4000002 in all) need about 9.12 GB to train this network, more than the 1.00 GB available; lower the point counts (or the network width)',
    );
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(3 * 2 ** 30)]).toEqual([
      '512 bytes',
      '1.50 KB',
      '3.00 GB',
    ]);
  });
});

describe('resumeCommand', () => {
  it('repeats the experiment and --out, quoting what a shell would split', () => {
    expect(resumeCommand({ experiment: 'heat' })).toBe('pde-lab run heat --resume');
    expect(resumeCommand({ experiment: 'my runs/a.json', out: "/tmp/it's" })).toBe(
      `pde-lab run 'my runs/a.json' --resume --out '/tmp/it'\\''s'`,
    );
  });
});

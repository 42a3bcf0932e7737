import { parseCsv } from '@aml/data';
import { inferTask, pearson, profileTable } from './profile';
import { toSeries } from '../forecast/series';

describe('profile and task inference', () => {
  const t = parseCsv(
    'a,b,label,grade,price\n1,2,x,1,10.5\n2,4,y,2,11.25\n3,6.5,x,1,9.75\n4,8,y,3,12\n,10,x,2,13\n6,12,y,1,8.5\n7,14,x,2,14\n8,16,y,3,7\n9,18,x,1,15.5\n10,20,y,2,6\n11,22,x,3,16\n',
    'p.csv',
  );
  it('profiles types, missing counts, ranges and correlations (hand-computed)', () => {
    const p = profileTable(t);
    const a = p.columns[0];
    expect(a).toMatchObject({ name: 'a', type: 'number', missing: 1, distinct: 10, min: 1, max: 11 });
    expect(a.mean).toBeCloseTo((66 - 5) / 10, 12); // 1..11 without the missing 5
    expect(p.columns[2]).toMatchObject({
      type: 'string',
      distinct: 2,
      top: [
        ['x', 6],
        ['y', 5],
      ],
    });
    expect(p.numeric).toEqual(['a', 'b', 'grade', 'price']);
    expect(p.correlation[1]).toBeCloseTo(
      pearson([1, 2, 3, 4, 6, 7, 8, 9, 10, 11], [2, 4, 6.5, 8, 12, 14, 16, 18, 20, 22]),
      12,
    );
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });
  it.each([
    ['label', 'classification', 'holds text'],
    ['grade', 'classification', '3 distinct integer values'],
    ['price', 'regression', 'numeric with 11 distinct values'],
  ])('target %s -> %s', (target, task, reason) => {
    const r = inferTask(t, target);
    expect(r.task).toBe(task);
    expect(r.reason).toContain(reason);
  });
  it('orders a series by time and forward-fills gaps', () => {
    const s = toSeries(parseCsv('t,v\n2024-01-03,3\n2024-01-01,1\n2024-01-02,\n2024-01-04,4\n', 's.csv'), 't', 'v');
    expect(Array.from(s.values)).toEqual([1, 1, 3, 4]);
    expect(s.filled).toBe(1);
    expect(s.isDate).toBe(true);
    expect(() => toSeries(t, 'label', 'a')).toThrow("--time column 'label' holds text");
  });
});

import { Rng } from '@aml/core';
import {
  applyImputer,
  applyLabels,
  applyOneHot,
  applyScaler,
  dropMissingRows,
  fitImputer,
  fitLabels,
  fitMinMaxScaler,
  fitOneHot,
  fitPreprocessor,
  fitStandardScaler,
  invertScaler,
  kFold,
  makeTable,
  median,
  parseCsv,
  parsePreprocessorState,
  selectRows,
  stratifiedKFold,
  timeSeriesSplit,
  timeWindows,
  trainValTestSplit,
  transformTable,
} from '../index';

const X = { data: Float64Array.from([1, 10, 2, 20, 3, 30, 4, NaN, 100, 1000]), rows: 5, cols: 2 };

describe('scalers (fitted on training rows only)', () => {
  it('standard scaler: mean and population std of the fitting rows (hand-computed), NaN ignored', () => {
    const s = fitStandardScaler(X, [0, 1, 2, 3]);
    expect(s.mean).toEqual([2.5, 20]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 14);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(200 / 3), 14);
    const Z = applyScaler(s, X);
    expect(Z.data[0]).toBeCloseTo((1 - 2.5) / Math.sqrt(1.25), 14);
    expect(Number.isNaN(Z.data[7])).toBe(true);
    const back = invertScaler(s, Z);
    back.data.forEach((v, i) => (Number.isNaN(X.data[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(X.data[i], 10)));
  });
  it('min-max maps the training range to [0, 1]; a constant column stays finite', () => {
    const s = fitMinMaxScaler(X, [0, 1, 2]);
    expect(s).toEqual({ kind: 'minmax', min: [1, 10], max: [3, 30] });
    expect(Array.from(applyScaler(s, X).data.subarray(0, 6))).toEqual([0, 0, 0.5, 0.5, 1, 1]);
    const c = fitStandardScaler({ data: Float64Array.from([5, 5, 5]), rows: 3, cols: 1 });
    expect(Array.from(applyScaler(c, { data: Float64Array.from([5, 6]), rows: 2, cols: 1 }).data)).toEqual([0, 1]);
    expect(() => applyScaler(s, { data: new Float64Array(3), rows: 1, cols: 3 })).toThrow(
      'fitted on 2 columns but the matrix has 3',
    );
  });
});

describe('encoders and imputers', () => {
  it('one-hot: sorted training categories; unseen and missing give zero rows', () => {
    const s = fitOneHot(['b', 'a', null, 'b', 'c'], [0, 1, 3]);
    expect(s.categories).toEqual(['a', 'b']);
    expect(Array.from(applyOneHot(s, ['a', 'b', 'c', null]))).toEqual([1, 0, 0, 1, 0, 0, 0, 0]);
  });
  it('labels sort naturally and name unknown classes', () => {
    const s = fitLabels(['10', '2', '1', '2']);
    expect(s.classes).toEqual(['1', '2', '10']);
    expect(Array.from(applyLabels(s, ['10', '1']))).toEqual([2, 0]);
    expect(() => applyLabels(s, ['3'])).toThrow("row 1: class '3' was not seen in training; known classes: 1, 2, 10");
    expect(() => fitLabels(['a', 'a'])).toThrow('needs at least 2 classes, found 1');
  });
  it('mean, median and mode fills (hand-computed) come from the fitting rows', () => {
    const t = parseCsv('x,s\n1,a\n,b\n3,b\n10,\n100,a\n', 'x');
    const [x, s] = t.columns;
    expect(fitImputer(x, 'mean', [0, 1, 2, 3]).fill).toBeCloseTo(14 / 3, 14);
    expect(fitImputer(x, 'median', [0, 1, 2, 3]).fill).toBe(3);
    expect(fitImputer(x, 'median').fill).toBe(6.5);
    expect(median([4, 1, NaN, 3, 2])).toBe(2.5);
    const m = fitImputer(s, 'mode', [0, 1, 2, 3]);
    expect(m.fill).toBe('b');
    expect(applyImputer(m, s).values).toEqual(['a', 'b', 'b', 'b', 'a']);
    expect(Array.from(applyImputer(fitImputer(x, 'mean', [0, 2]), x).values as Float64Array)).toEqual([
      1, 2, 3, 10, 100,
    ]);
    const d = dropMissingRows(t);
    expect(d.kept).toEqual([0, 2, 4]);
    expect(d.table.nRows).toBe(3);
    expect(t.nRows).toBe(5); // input untouched
  });
});

describe('splits and folds', () => {
  it('train/val/test split is a seeded partition with the asked sizes', () => {
    const a = trainValTestSplit(100, { val: 0.2, test: 0.1 }, new Rng(1));
    expect([a.train.length, a.val.length, a.test.length]).toEqual([70, 20, 10]);
    expect([...a.train, ...a.val, ...a.test].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(trainValTestSplit(100, { val: 0.2, test: 0.1 }, new Rng(1))).toEqual(a);
    expect(trainValTestSplit(100, { val: 0.2, test: 0.1 }, new Rng(2))).not.toEqual(a);
    expect(() => trainValTestSplit(10, { val: 0.6, test: 0.5 }, new Rng(1))).toThrow('val + test must be < 1');
  });
  it('stratified train/val/test split keeps each class in every part in proportion', () => {
    const labels = [...Array(80).fill(0), ...Array(20).fill(1)];
    const a = trainValTestSplit(100, { val: 0.2, test: 0.1 }, new Rng(3), labels);
    const count = (idx: number[], c: number) => idx.filter((i) => labels[i] === c).length;
    expect([count(a.train, 0), count(a.val, 0), count(a.test, 0)]).toEqual([56, 16, 8]);
    expect([count(a.train, 1), count(a.val, 1), count(a.test, 1)]).toEqual([14, 4, 2]);
  });
  it('k-fold validates every row exactly once with fold sizes differing by at most 1', () => {
    const folds = kFold(23, 5, new Rng(3));
    const seen = folds.flatMap((f) => f.val).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i));
    const sizes = folds.map((f) => f.val.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const f of folds) expect(f.train.length + f.val.length).toBe(23);
    expect(() => kFold(3, 5, new Rng(1))).toThrow('folds (5) cannot exceed the number of rows (3)');
  });
  it('stratified k-fold keeps the class ratios in every fold (within one sample per class)', () => {
    // imbalanced: 70 / 20 / 10, shuffled order
    const rng = new Rng(4);
    const labels = rng.shuffle([...Array(70).fill('a'), ...Array(20).fill('b'), ...Array(10).fill('c')]);
    const k = 5;
    const folds = stratifiedKFold(labels, k, new Rng(5));
    expect(folds.flatMap((f) => f.val).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const f of folds) {
      for (const [cls, total] of [
        ['a', 70],
        ['b', 20],
        ['c', 10],
      ] as const) {
        const inVal = f.val.filter((i) => labels[i] === cls).length;
        expect(Math.abs(inVal - total / k)).toBeLessThanOrEqual(1);
      }
      expect(f.val.length).toBe(20);
    }
    // plain k-fold on the same labels usually breaks the ratio somewhere: stratification is doing the work
    const plain = kFold(100, k, new Rng(5));
    const worst = Math.max(...plain.map((f) => Math.abs(f.val.filter((i) => labels[i] === 'c').length - 2)));
    expect(worst).toBeGreaterThan(1);
  });
  it('time-series splits never train on the future', () => {
    const s = timeSeriesSplit(20, 3);
    expect(s.map((f) => [f.train.length, f.val[0], f.val.length])).toEqual([
      [5, 5, 5],
      [10, 10, 5],
      [15, 15, 5],
    ]);
    for (const f of s) expect(Math.max(...f.train)).toBeLessThan(Math.min(...f.val));
  });
  it('windows of 0..9 with window 3 (worked example) and a 2-feature series with horizon 2', () => {
    const w = timeWindows(
      Float64Array.from({ length: 10 }, (_, i) => i),
      10,
      1,
      { window: 3 },
    );
    expect(w.n).toBe(7);
    expect(Array.from(w.x.subarray(0, 6))).toEqual([0, 1, 2, 1, 2, 3]);
    expect(Array.from(w.y)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const s = Float64Array.from({ length: 16 }, (_, i) => i); // 8 rows of 2 features: row t = [2t, 2t + 1]
    const v = timeWindows(s, 8, 2, { window: 2, horizon: 2, stride: 2, targets: [1] });
    expect(v.n).toBe(3);
    expect(Array.from(v.y)).toEqual([5, 7, 9, 11, 13, 15]);
    expect(Array.from(v.targetIndex)).toEqual([2, 4, 6]);
    expect(() => timeWindows(s, 8, 2, { window: 8 })).toThrow('window + horizon = 9 exceeds the series length 8');
  });
});

describe('table preprocessor', () => {
  const csv =
    'x,y,site,target\n' +
    Array.from(
      { length: 40 },
      (_, i) => `${i % 7 === 3 ? '' : i},${(i * 37) % 11},${['n', 's', 'e'][i % 3]},${i % 2}`,
    ).join('\n');
  const t = parseCsv(csv, 'train.csv');
  const config = { features: ['x', 'y', 'site'], impute: 'median', scale: 'standard' } as const;

  it('no statistic leaks from validation folds: changing validation rows changes nothing fitted', () => {
    for (const fold of kFold(t.nRows, 4, new Rng(7))) {
      const st = fitPreprocessor(t, config, fold.train);
      // the same fit on a table where every validation row is replaced by wild values
      const poisoned = parseCsv(csv, 'train.csv');
      for (const i of fold.val) {
        (poisoned.columns[0].values as Float64Array)[i] = 1e9;
        (poisoned.columns[1].values as Float64Array)[i] = NaN;
        (poisoned.columns[2].values as (string | null)[])[i] = 'unseen';
      }
      expect(fitPreprocessor(poisoned, config, fold.train)).toEqual(st);
      // and it equals fitting on the training rows alone
      expect(fitPreprocessor(selectRows(t, fold.train), config)).toEqual(st);
      // training outputs are standardised: mean 0, std 1 over the training rows
      const Z = transformTable(st, t);
      for (const j of [0, 1]) {
        const v = fold.train.map((i) => Z.data[i * Z.cols + j]);
        const mu = v.reduce((a, b) => a + b, 0) / v.length;
        expect(mu).toBeCloseTo(0, 12);
        expect(Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / v.length)).toBeCloseTo(1, 12);
      }
    }
  });
  it('outputs named columns, one-hot unscaled, and survives a JSON round trip', () => {
    const st = fitPreprocessor(t, config);
    expect(st.outputs).toEqual(['x', 'y', 'site=e', 'site=n', 'site=s']);
    const Z = transformTable(st, t);
    expect(Array.from(Z.data.subarray(2, 5))).toEqual([0, 1, 0]); // row 0 site n
    const back = parsePreprocessorState(JSON.parse(JSON.stringify(st)));
    expect(transformTable(back, t)).toEqual(Z);
  });
  it('a schema mismatch on new data is a clear error', () => {
    const st = fitPreprocessor(t, config);
    expect(() => transformTable(st, parseCsv('x,site\n1,n\n', 'new.csv'))).toThrow("new.csv: column 'y' is missing");
    expect(() => transformTable(st, parseCsv('x,y,site\n1,a,n\n2,b,s\n', 'new.csv'))).toThrow(
      "new.csv: column 'y' holds text but held numbers in training",
    );
    expect(() => parsePreprocessorState({ version: 2 }, 'model.json')).toThrow(
      'model.json: is not a saved preprocessor',
    );
  });
  it('makeTable checks lengths and names', () => {
    expect(() =>
      makeTable([
        { name: 'a', type: 'number', values: new Float64Array(2) },
        { name: 'b', type: 'number', values: new Float64Array(3) },
      ]),
    ).toThrow("column 'b' has 3 values but 'a' has 2");
  });
});

import {
  historyFigure,
  confusionFigure,
  contourFigure,
  heatmapFigure,
  histogramCounts,
  histogramFigure,
  imageGridFigure,
  lineFigure,
  scatterFigure,
  tableFigure,
} from '../index';

describe('lineFigure', () => {
  it('builds one scatter trace per series with default x = 0..n-1', () => {
    const f = lineFigure(
      [
        { name: 'a', y: new Float32Array([3, 2, 1]) },
        { name: 'b', x: [1, 2], y: [5, 6] },
      ],
      { title: 't', xLabel: 'step' },
    );
    expect(f.data).toHaveLength(2);
    expect(f.data[0]).toMatchObject({ type: 'scatter', name: 'a', x: [0, 1, 2], y: [3, 2, 1], mode: 'lines' });
    expect(f.layout).toMatchObject({ title: { text: 't' }, xaxis: { title: { text: 'step' }, type: 'linear' } });
    // typed arrays are converted: JSON of a Float32Array would be an object, not a list
    expect(JSON.parse(JSON.stringify(f)).data[0].y).toEqual([3, 2, 1]);
  });
  it('on a log axis turns non-positive and non-finite values into gaps (null)', () => {
    const f = lineFigure([{ name: 'loss', y: [1, 0, -1, NaN, 1e-3] }], { yScale: 'log' });
    expect(f.data[0].y).toEqual([1, null, null, null, 1e-3]);
    expect((f.layout as any).yaxis.type).toBe('log');
  });
  it('rejects mismatched x/y and empty input with named errors', () => {
    expect(() => lineFigure([{ name: 'a', x: [1, 2, 3], y: [1, 2] }])).toThrow(
      "lineFigure series 'a': x has 3 values but y has 2",
    );
    expect(() => lineFigure([])).toThrow('lineFigure: series is empty');
  });
});

describe('scatterFigure', () => {
  it('splits points into one trace per label, sorted naturally', () => {
    const f = scatterFigure([0, 1, 2, 3], [4, 5, 6, 7], { labels: [10, 2, 10, 2] });
    expect(f.data.map((t) => t.name)).toEqual(['2', '10']);
    expect(f.data[0]).toMatchObject({ x: [1, 3], y: [5, 7] });
    expect(f.data[1]).toMatchObject({ x: [0, 2], y: [4, 6] });
  });
  it('adds the y = x diagonal over the data range', () => {
    const f = scatterFigure([0, 2], [1, 3], { diagonal: true });
    expect(f.data[1]).toMatchObject({ name: 'y = x', x: [0, 3], y: [0, 3] });
  });
  it('rejects labels and color together', () => {
    expect(() => scatterFigure([1], [1], { labels: ['a'], color: [1] })).toThrow('either labels');
  });
});

describe('heatmap and contour of a field on a grid', () => {
  const x = [0, 1, 2];
  const y = [10, 20];
  it('reshapes a flat row-major array to (ny, nx) rows', () => {
    const f = heatmapFigure({ x, y, z: [1, 2, 3, 4, 5, 6] }, { zRange: [0, 9] });
    expect(f.data[0]).toMatchObject({
      type: 'heatmap',
      z: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      zmin: 0,
      zmax: 9,
    });
    expect(
      contourFigure({
        x,
        y,
        z: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      }).data[0],
    ).toMatchObject({
      type: 'contour',
      z: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
  });
  it('accepts category names on the axes (e.g. a correlation matrix of named columns)', () => {
    const f = heatmapFigure({ x: ['a', 'b'], y: ['a', 'b'], z: [1, 0.5, 0.5, 1] });
    expect(f.data[0]).toMatchObject({
      x: ['a', 'b'],
      y: ['a', 'b'],
      z: [
        [1, 0.5],
        [0.5, 1],
      ],
    });
    expect(f.layout).toMatchObject({ xaxis: { type: 'category' }, yaxis: { type: 'category' } });
  });
  it('names the wrong dimension', () => {
    expect(() => heatmapFigure({ x, y, z: [1, 2, 3] })).toThrow(
      'flat z has 3 values but the grid is ny * nx = 2 * 3 = 6',
    );
    expect(() =>
      heatmapFigure({
        x,
        y,
        z: [
          [1, 2, 3],
          [4, 5],
        ],
      }),
    ).toThrow('z row 1 has 2 values but x has 3');
    expect(() => contourFigure({ x, y, z: [[1, 2, 3]] })).toThrow('z has 1 rows but y has 2 values');
  });
});

describe('histogramFigure', () => {
  it('counts values into equal bins, the last bin closed (oracle: hand count)', () => {
    expect(histogramCounts([0, 0.1, 0.5, 0.99, 1, 2, NaN], 0, 1, 2)).toEqual([2, 3]);
  });
  it('density integrates to 1', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const f = histogramFigure([{ name: 's', values }], { bins: 17, density: true });
    const w = f.data[0].width as number;
    const area = (f.data[0].y as number[]).reduce((a, b) => a + b * w, 0);
    expect(area).toBeCloseTo(1, 10);
  });
});

describe('confusionFigure', () => {
  it('normalises rows to recall per class and annotates every cell', () => {
    const f = confusionFigure(
      [
        [3, 1],
        [0, 4],
      ],
      ['a', 'b'],
      { normalize: true },
    );
    expect(f.data[0].z).toEqual([
      [0.75, 0.25],
      [0, 1],
    ]);
    expect((f.layout as any).annotations).toHaveLength(4);
    expect(() => confusionFigure([[1, 2]], ['a', 'b'])).toThrow('matrix has 1 rows but there are 2 classes');
  });
});

describe('imageGridFigure', () => {
  it('makes one heatmap panel per image on its own axes, with a shared colour range', () => {
    const imgs = [0, 1, 2].map((k) => ({ pixels: [k, k + 1, k + 2, k + 3], height: 2, width: 2, caption: `#${k}` }));
    const f = imageGridFigure(imgs, { columns: 2 });
    expect(f.data.map((t) => [t.xaxis, t.yaxis])).toEqual([
      ['x', 'y'],
      ['x2', 'y2'],
      ['x3', 'y3'],
    ]);
    expect(f.data[2]).toMatchObject({
      z: [
        [2, 3],
        [4, 5],
      ],
      zmin: 0,
      zmax: 5,
    });
    expect((f.layout as any).grid).toEqual({ rows: 2, columns: 2, pattern: 'independent' });
    expect(() => imageGridFigure([{ pixels: [1, 2, 3], height: 2, width: 2 }])).toThrow(
      'image 0 has 3 pixels but height * width = 2 * 2 = 4',
    );
  });
});

describe('tableFigure', () => {
  it('lays cells out column by column, formatted', () => {
    const f = tableFigure({
      columns: ['k', 'v'],
      rows: [
        ['a', 0.123456789],
        ['b', 2],
      ],
    });
    expect((f.data[0] as any).cells.values).toEqual([
      ['a', 'b'],
      ['0.1235', '2'],
    ]);
    expect(() => tableFigure({ columns: ['k'], rows: [['a', 1]] })).toThrow(
      'row 0 has 2 cells but there are 1 columns',
    );
  });
});

describe('historyFigure', () => {
  it('plots loss and each term on a log axis, thinned to every k-th step', () => {
    const h = { loss: [4, 3, 2, 1, 0.5], terms: { pde: [3, 2, 1, 0.5, 0.25] } };
    const f = historyFigure(h, { every: 2 });
    expect(f.data.map((t) => t.name)).toEqual(['loss', 'pde']);
    expect(f.data[0]).toMatchObject({ x: [0, 2, 4], y: [4, 2, 0.5] });
    expect(f.data[1]).toMatchObject({ x: [0, 2, 4], y: [3, 1, 0.25] });
    expect((f.layout as any).yaxis.type).toBe('log');
    expect(historyFigure({ loss: new Array(10_000).fill(1) }).data[0].x).toHaveLength(2000);
    expect(() => historyFigure({ loss: [] })).toThrow('the history has no steps');
  });
});

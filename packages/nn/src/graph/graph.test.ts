import { tf, Rng, initBackend, expectNoLeak } from '@aml/core';
import { type Graph, batchGraphs, disposeGraphBatch } from './graph';
import { gcn } from './gcn';
import { interactionNet } from './interaction';
import { getWeights } from '../layers/layer';
import { mse, softmaxCrossEntropy } from '../losses/losses';
import { gradCheck } from '../testing/gradcheck';
import { fit } from '../testing/fit';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const triangle: Graph = {
  numNodes: 3,
  nodes: [1, 0, 0, 1, 1, 1],
  senders: [0, 1, 1, 2, 0, 2],
  receivers: [1, 0, 2, 1, 2, 0],
  edges: [1, 1, 2, 2, 3, 3],
};
const pair: Graph = { numNodes: 2, nodes: [0.5, -1, 2, 0], senders: [0, 1], receivers: [1, 0], edges: [0.7, 0.7] };

describe('graph batching', () => {
  it('offsets node indices and records each node graph', () => {
    const b = batchGraphs([triangle, pair], 2, 1);
    expect(Array.from(b.senders.dataSync())).toEqual([0, 1, 1, 2, 0, 2, 3, 4]);
    expect(Array.from(b.receivers.dataSync())).toEqual([1, 0, 2, 1, 2, 0, 4, 3]);
    expect(Array.from(b.nodeGraph.dataSync())).toEqual([0, 0, 0, 1, 1]);
    expect(b.nodes.shape).toEqual([5, 2]);
    disposeGraphBatch(b);
  });
  it('rejects out-of-range indices and wrong sizes with the graph, edge and fix', () => {
    expect(() => batchGraphs([triangle, { ...pair, receivers: [1, 2] }], 2, 1)).toThrow(
      'graph 1: edge 1 has receiver 2, out of range for 2 nodes (valid 0..1)',
    );
    expect(() => batchGraphs([{ ...pair, nodes: [1, 2, 3] }], 2, 1)).toThrow(
      'graph 0: nodes has 3 values, expected numNodes*nodeDim = 2*2',
    );
    expect(() => batchGraphs([pair], 2, 2)).toThrow('graph 0: edges has 2 values, expected edges*edgeDim = 2*2');
  });
});

describe('gcn', () => {
  it('equals relu(D^-1/2 (A+I) D^-1/2 H W + b) computed densely', () => {
    const layer = gcn({ inputSize: 2, units: 3, activation: 'identity' }, new Rng(1));
    const g = batchGraphs([{ ...triangle, edges: undefined, senders: [0, 1, 1, 2], receivers: [1, 0, 2, 1] }], 2, 0);
    const A = [
      [1, 1, 0],
      [1, 1, 1],
      [0, 1, 1],
    ]; // path 0-1-2 plus self loops
    const d = A.map((r) => r.reduce((a, b) => a + b));
    const Ahat = tf.tensor2d(A.map((r, i) => r.map((v, j) => v / Math.sqrt(d[i] * d[j]))));
    const ref = tf.add(tf.matMul(tf.matMul(Ahat, g.nodes), layer.params[0]), layer.params[1]).dataSync();
    const y = layer.apply(g).dataSync();
    ref.forEach((r, i) => expect(y[i]).toBeCloseTo(r, 5));
    const t = tf.randomNormal([3, 3], 0, 1, 'float32', 2);
    expect(gradCheck(() => mse(layer.apply(g), t), layer.params).maxRelError).toBeLessThan(2e-2);
    expect(() => layer.apply(g, tf.zeros([3, 5]) as tf.Tensor2D)).toThrow(
      "gcn 'gcn': expected node features (3, 2), got (3, 5)",
    );
  });
});

describe('gcn training', () => {
  it('two stacked layers overfit node labels (loss / 100), seeded, without leaks', async () => {
    // two triangles joined by the edge 2-3 (communities), random 4-d features; labels by community
    const und = [
      [0, 1],
      [1, 2],
      [0, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [3, 5],
    ];
    const g = batchGraphs(
      [
        {
          numNodes: 6,
          nodes: Array.from(new Rng(30).uniformArray(24, -1, 1)),
          senders: und.flatMap(([a, b]) => [a, b]),
          receivers: und.flatMap(([a, b]) => [b, a]),
        },
      ],
      4,
      0,
    );
    const make = () => [
      gcn({ inputSize: 4, units: 16, activation: 'tanh', name: 'g1' }, new Rng(31)),
      gcn({ inputSize: 16, units: 2, activation: 'identity', name: 'g2' }, new Rng(32)),
    ];
    const [l1, l2] = make();
    expect(getWeights({ params: [...l1.params, ...l2.params] })).toEqual(
      getWeights({ params: make().flatMap((l) => l.params) }),
    );
    const y = tf.tensor1d([0, 0, 0, 1, 1, 1], 'int32');
    const params = [...l1.params, ...l2.params];
    const loss = () => softmaxCrossEntropy(l2.apply(g, l1.apply(g)), y);
    const l0 = loss().dataSync()[0];
    await expectNoLeak(() => fit({ params, loss, steps: 2 }), 'gcn fit');
    const h = fit({ params, loss, steps: 300, lr: 0.03 });
    expect(h[h.length - 1]).toBeLessThan(l0 / 100);
  });
});

describe('interaction network', () => {
  const cfg = { nodeDim: 2, edgeDim: 1, hidden: 8, layers: 2 };

  it('is invariant to node relabelling and batching does not mix graphs', () => {
    const net = interactionNet(cfg, new Rng(3));
    const alone = net.apply(batchGraphs([triangle], 2, 1)).dataSync()[0];
    // relabel nodes 0 <-> 2
    const p = [2, 1, 0];
    const relabel: Graph = {
      numNodes: 3,
      nodes: [4, 5, 2, 3, 0, 1].map((i) => triangle.nodes[i]),
      senders: Array.from(triangle.senders, (s) => p[s]),
      receivers: Array.from(triangle.receivers, (r) => p[r]),
      edges: triangle.edges,
    };
    expect(net.apply(batchGraphs([relabel], 2, 1)).dataSync()[0]).toBeCloseTo(alone, 5);
    const both = net.apply(batchGraphs([pair, triangle], 2, 1)).dataSync();
    expect(both[1]).toBeCloseTo(alone, 5);
    expect(both[0]).toBeCloseTo(net.apply(batchGraphs([pair], 2, 1)).dataSync()[0], 5);
    expect(() => net.apply(batchGraphs([{ ...pair, edges: undefined }], 2, 0))).toThrow(
      'interactionNet: expected edge features (E, 1), got none',
    );
    expect(() => net.apply(batchGraphs([{ ...pair, nodes: [1, 2] }], 1, 1))).toThrow(
      'interactionNet: expected node features (N, 2), got (2, 1)',
    );
  });

  it('gradients match finite differences', () => {
    const net = interactionNet({ ...cfg, activation: 'tanh' }, new Rng(4));
    const g = batchGraphs([triangle, pair], 2, 1);
    const t = tf.tensor2d([[0.5], [-0.3]]);
    expect(gradCheck(() => mse(net.apply(g), t), net.params, 1e-2, 4).maxRelError).toBeLessThan(3e-2);
  });

  it('overfits per-graph targets (loss / 100), is seeded, trains without leaks', async () => {
    const net = interactionNet(cfg, new Rng(5));
    expect(getWeights(net)).toEqual(getWeights(interactionNet(cfg, new Rng(5))));
    const rng = new Rng(6);
    const graphs: Graph[] = Array.from({ length: 6 }, () => ({
      ...pair,
      edges: [rng.range(1, 2)].flatMap((r) => [r, r]),
    }));
    const g = batchGraphs(graphs, 2, 1);
    const t = tf.tensor2d(graphs.map((gr) => [1 / (gr.edges as number[])[0] ** 2]));
    const loss = () => mse(net.apply(g), t);
    const l0 = loss().dataSync()[0];
    await expectNoLeak(() => fit({ params: net.params, loss, steps: 2 }), 'interaction net fit');
    const h = fit({ params: net.params, loss, steps: 300, lr: 0.01 });
    expect(h[h.length - 1]).toBeLessThan(l0 / 100);
  });
});

import * as path from 'node:path';
import { Rng } from '@aml/core';
import { fitPreprocessor, getColumn, transformTable } from '@aml/data';
import { lineFigure, Report, scatterFigure } from '@aml/plot';
import { chooseFeatures } from '../analyze/features';
import { profileSection } from '../analyze/report';
import { defaultName, listOption, readTable, startBackend } from '../cli/io';
import { ExploreOptionsSchema, parseOptions } from '../cli/options';
import { maybePng } from '../cli/png';
import { createProgress } from '../cli/progress';
import { prepareOutDir, prepareResults, RunLog, writeJsonFile } from '../cli/results';
import { profileTable } from '../profile/profile';
import { fitAutoencoder } from './autoencoder';
import { pcaSummary } from './pca';

/**
 * `data-lab explore <file>`: 2D embeddings of the rows by PCA and by an autoencoder, explained variance,
 * and reconstruction errors of both, written to results/<name>/.
 */
export async function explore(file: string, raw: Record<string, unknown>) {
  const o = parseOptions(ExploreOptionsSchema, raw, 'explore');
  const t0 = performance.now();
  const table = readTable(file, o.color ? { target: o.color, allowEmptyColumns: true } : { allowEmptyColumns: true });
  const dir = o.out ? prepareOutDir(o.out, o.force) : prepareResults(o.results, o.name ?? `${defaultName(file)}-explore`, o.force);
  const run = new RunLog(o.quiet);
  const backend = await startBackend(o.backend, true);
  const profile = profileTable(table);
  const features = chooseFeatures(table, profile, o.color ?? '', listOption(o.drop), run.log);
  const pre = fitPreprocessor(table, { features, impute: 'median', scale: 'standard' });
  const X = transformTable(pre, table);
  if (X.cols < 2) throw new Error(`explore needs at least 2 feature dimensions, got ${X.cols} (${pre.outputs.join(', ')})`);
  run.log(`data-lab explore ${file}: ${X.rows} rows, ${X.cols} dimensions after encoding; backend ${backend.name}`);
  const pca = pcaSummary(X);
  const pcaEmb = pca.embedding;
  const epochs = o.quick ? Math.min(o.epochs, 5) : o.epochs;
  const bar = createProgress(epochs * Math.ceil(X.rows / Math.min(64, X.rows)), o.quiet);
  let ae;
  try {
    ae = await fitAutoencoder(X, { epochs, onStep: bar.tick }, new Rng(o.seed));
  } finally {
    bar.stop();
  }
  const pcaErr = pca.reconstructionError;
  const seconds = (performance.now() - t0) / 1000;
  const metrics = {
    rows: X.rows, dimensions: X.cols, features: pre.outputs, explainedVariance: Array.from(pca.explained),
    explained2: pca.explained[0] + pca.explained[1], reconstructionError: { pca2: pcaErr, autoencoder2: ae.reconstructionError },
    epochs, seed: o.seed, backend: backend.name, wallSeconds: seconds,
  };
  writeJsonFile(path.join(dir, 'config.json'), { command: 'explore', file: path.resolve(file), ...o });
  writeJsonFile(path.join(dir, 'metrics.json'), metrics);
  writeJsonFile(path.join(dir, 'embeddings.json'), { pca: pcaEmb.data, autoencoder: ae.embedding.data, preprocessor: pre });
  // Colour by a column: categories for text or few integers, a colour bar otherwise.
  const colorOpts = (() => {
    if (!o.color) return {};
    const c = getColumn(table, o.color);
    if (c.type === 'string') return { labels: c.values.map((v) => v ?? 'missing') };
    const v = c.values as Float64Array;
    return new Set(v).size <= 10 ? { labels: Array.from(v, String) } : { color: v, colorLabel: o.color };
  })();
  const pts = (m: { data: Float64Array }) => [Float64Array.from({ length: X.rows }, (_, i) => m.data[2 * i]), Float64Array.from({ length: X.rows }, (_, i) => m.data[2 * i + 1])] as const;
  const r = new Report(`data-lab explore: ${path.basename(file)}`);
  r.text(`Features (${features.join(', ')}) are median-imputed, standardised and one-hot encoded into ${X.cols} dimensions, then embedded in 2D. Reconstruction errors are mean squared errors per entry in standardised units.`);
  profileSection(r, profile);
  r.section('PCA')
    .figure(lineFigure([{ name: 'explained', x: Array.from({ length: X.cols }, (_, i) => i + 1), y: pca.explained, mode: 'lines+markers' },
      { name: 'cumulative', x: Array.from({ length: X.cols }, (_, i) => i + 1), y: pca.explained.map((_, i) => pca.explained.subarray(0, i + 1).reduce((a, b) => a + b, 0)), mode: 'lines+markers' }],
    { title: 'explained variance ratio', xLabel: 'component', yLabel: 'share of variance' }))
    .figure(scatterFigure(...pts(pcaEmb), { ...colorOpts, title: 'PCA embedding', xLabel: 'PC1', yLabel: 'PC2' }));
  r.section('Autoencoder')
    .figure(lineFigure([{ name: 'train', y: ae.curve }], { title: 'autoencoder loss per epoch', xLabel: 'epoch', yLabel: 'MSE', yScale: 'log' }))
    .figure(scatterFigure(...pts(ae.embedding), { ...colorOpts, title: 'autoencoder embedding (2D code)', xLabel: 'z1', yLabel: 'z2' }));
  r.section('Reconstruction error').metrics({ 'PCA, 2 components': pcaErr, 'autoencoder, 2D code': ae.reconstructionError, 'explained variance of 2 PCs': metrics.explained2, seconds });
  r.write(dir);
  maybePng(dir, o.png, run.log);
  run.log(`explained variance (2 PCs) ${metrics.explained2.toFixed(3)}; reconstruction MSE: PCA ${pcaErr.toFixed(4)}, autoencoder ${ae.reconstructionError.toFixed(4)}; wrote ${dir}`);
  run.write(dir);
  return { dir, ...metrics };
}

import * as path from 'node:path';
import { Rng } from '@aml/core';
import { fitPreprocessor, getColumn, type Table, transformTable } from '@aml/data';
import { lineFigure, Report, scatterFigure } from '@aml/plot';
import { chooseFeatures } from '../analyze/features';
import { profileSection } from '../analyze/report';
import { defaultName, listOption, readTable, startBackend } from '../cli/io';
import { type ExploreOptions, ExploreOptionsSchema, parseOptions } from '../cli/options';
import { maybePng } from '../cli/png';
import { writeJson } from '@aml/core/node';
import { RunContext } from '../run/context';
import { checkRunDir, openRunDir, runDir } from '../run/folder';
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
  const dir = runDir(o, `${defaultName(file)}-explore`);
  checkRunDir(dir, o.force);
  const table = await readTable(file, {
    ...(o.color ? { target: o.color } : {}),
    allowEmptyColumns: true,
    types: o.types,
    allowNonfinite: o.allowNonfinite,
  });
  const profile = profileTable(table);
  const notes: string[] = [];
  const features = chooseFeatures(table, profile, o.color ?? '', listOption(o.drop), (l) => notes.push(l));
  const pre = fitPreprocessor(table, { features, impute: 'median', scale: 'standard' });
  const X = transformTable(pre, table);
  if (X.cols < 2)
    throw new Error(`explore needs at least 2 feature dimensions, got ${X.cols} (${pre.outputs.join(', ')})`);
  // Nothing was written before this line; a failure from here on removes what the run wrote.
  const opened = openRunDir(dir, o.force);
  const run = new RunContext(dir, o.quiet, false);
  try {
    return await embed(file, o, { table, profile, features, pre, X }, dir, run, t0);
  } catch (e) {
    run.close();
    opened.discard();
    throw e;
  } finally {
    run.close();
  }
}

type Prepared = {
  table: Table;
  profile: ReturnType<typeof profileTable>;
  features: string[];
  pre: ReturnType<typeof fitPreprocessor>;
  X: ReturnType<typeof transformTable>;
};

async function embed(file: string, o: ExploreOptions, d: Prepared, dir: string, run: RunContext, t0: number) {
  const { table, profile, features, pre, X } = d;
  const backend = await startBackend(o.backend, true);
  run.log(`data-lab explore ${file}: ${X.rows} rows, ${X.cols} dimensions after encoding; backend ${backend.name}`);
  const pca = pcaSummary(X);
  const pcaEmb = pca.embedding;
  const epochs = o.quick ? Math.min(o.epochs, 5) : o.epochs;
  run.startProgress(epochs * Math.ceil(X.rows / Math.min(64, X.rows)));
  let ae;
  try {
    ae = await fitAutoencoder(X, { epochs, onStep: run.onStep }, new Rng(o.seed));
  } finally {
    run.stopProgress();
  }
  const pcaErr = pca.reconstructionError;
  const seconds = (performance.now() - t0) / 1000;
  const metrics = {
    rows: X.rows,
    dimensions: X.cols,
    features: pre.outputs,
    explainedVariance: Array.from(pca.explained),
    explained2: pca.explained[0] + pca.explained[1],
    reconstructionError: { pca2: pcaErr, autoencoder2: ae.reconstructionError },
    epochs,
    seed: o.seed,
    backend: backend.name,
    wallSeconds: seconds,
  };
  writeJson(path.join(dir, 'config.json'), { command: 'explore', file: path.resolve(file), ...o });
  writeJson(path.join(dir, 'embeddings.json'), { pca: pcaEmb.data, autoencoder: ae.embedding.data, preprocessor: pre });
  // Colour by a column: categories for text or few integers, a colour bar otherwise.
  const colorOpts = (() => {
    if (!o.color) return {};
    const c = getColumn(table, o.color);
    if (c.type === 'string') return { labels: c.values.map((v) => v ?? 'missing') };
    const v = c.values as Float64Array;
    return new Set(v).size <= 10 ? { labels: Array.from(v, String) } : { color: v, colorLabel: o.color };
  })();
  const pts = (m: { data: Float64Array }) =>
    [
      Float64Array.from({ length: X.rows }, (_, i) => m.data[2 * i]),
      Float64Array.from({ length: X.rows }, (_, i) => m.data[2 * i + 1]),
    ] as const;
  const r = new Report(`data-lab explore: ${path.basename(file)}`);
  r.text(
    `Features (${features.join(', ')}) are median-imputed, standardised and one-hot encoded into ${X.cols} dimensions, then embedded in 2D. Reconstruction errors are mean squared errors per entry in standardised units.`,
  );
  profileSection(r, profile);
  r.section('PCA')
    .figure(
      lineFigure(
        [
          {
            name: 'explained',
            x: Array.from({ length: X.cols }, (_, i) => i + 1),
            y: pca.explained,
            mode: 'lines+markers',
          },
          {
            name: 'cumulative',
            x: Array.from({ length: X.cols }, (_, i) => i + 1),
            y: pca.explained.map((_, i) => pca.explained.subarray(0, i + 1).reduce((a, b) => a + b, 0)),
            mode: 'lines+markers',
          },
        ],
        { title: 'explained variance ratio', xLabel: 'component', yLabel: 'share of variance' },
      ),
    )
    .figure(scatterFigure(...pts(pcaEmb), { ...colorOpts, title: 'PCA embedding', xLabel: 'PC1', yLabel: 'PC2' }));
  r.section('Autoencoder')
    .figure(
      lineFigure([{ name: 'train', y: ae.curve }], {
        title: 'autoencoder loss per epoch',
        xLabel: 'epoch',
        yLabel: 'MSE',
        yScale: 'log',
      }),
    )
    .figure(
      scatterFigure(...pts(ae.embedding), {
        ...colorOpts,
        title: 'autoencoder embedding (2D code)',
        xLabel: 'z1',
        yLabel: 'z2',
      }),
    );
  r.section('Reconstruction error').metrics({
    'PCA, 2 components': pcaErr,
    'autoencoder, 2D code': ae.reconstructionError,
    'explained variance of 2 PCs': metrics.explained2,
    seconds,
  });
  r.write(dir);
  maybePng(dir, o.png, run.log);
  run.log(
    `explained variance (2 PCs) ${metrics.explained2.toFixed(3)}; reconstruction MSE: PCA ${pcaErr.toFixed(4)}, autoencoder ${ae.reconstructionError.toFixed(4)}; wrote ${dir}`,
  );
  writeJson(path.join(dir, 'metrics.json'), { status: 'completed', ...metrics }); // last: 'completed' means every file is in place
  return { dir, ...metrics };
}

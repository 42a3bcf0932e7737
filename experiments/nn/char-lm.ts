/**
 * Character-level language model with a causal transformer decoder (course: week 10's "light
 * LLM" path). Trains on a text file the user points to (`--text path`) or, by default, on text
 * generated from a small seeded grammar. Reports validation cross-entropy in bits per character
 * against the unigram (character frequency) baseline, and a seeded sample.
 *
 *   npx ts-node experiments/nn/char-lm.ts [--quick] [--text file.txt]
 */
import * as fs from 'node:fs';
import { tf, Rng, adam, cosineDecay } from '@aml/core';
import { causalLm, charVocab, lmBatch, lmLoss, sampleLm } from '@aml/nn';
import { Report, lineFigure } from '@aml/plot';
import { type RunOptions, Results, ensureBackend, runIfMain } from '../common';

/** Settings of the experiment. */
export interface CharLmConfig {
  /** Text source: a file path, or 'generated'. */
  readonly text: string;
  /** Characters of generated text. */
  readonly generatedChars: number;
  readonly context: number;
  readonly dModel: number;
  readonly heads: number;
  readonly layers: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
}

/** The full-run settings, or smoke-size ones with `quick` (tests, CI). */
export function config(quick: boolean, text = 'generated'): CharLmConfig {
  return quick
    ? { text, generatedChars: 2000, context: 16, dModel: 16, heads: 2, layers: 1, steps: 4, batchSize: 8, lr: 3e-3 }
    : {
        text,
        generatedChars: 30000,
        context: 32,
        dModel: 48,
        heads: 4,
        layers: 2,
        steps: 800,
        batchSize: 32,
        lr: 3e-3,
      };
}

/** Sentences from a small grammar of physics statements (seeded). */
export function generatedText(chars: number, rng: Rng): string {
  const pick = <T>(a: readonly T[]) => a[rng.int(a.length)];
  const subj = ['the electron', 'a photon', 'the field', 'each spin', 'the lattice', 'a neutron', 'the wave'];
  const verb = ['couples to', 'scatters off', 'aligns with', 'decays into', 'interferes with', 'orbits'];
  const obj = ['the nucleus', 'a magnetic field', 'its neighbour', 'the boundary', 'two quarks', 'the vacuum'];
  const tail = ['', ' at low temperature', ' in equilibrium', ' near the critical point', ' without friction'];
  let s = '';
  while (s.length < chars) s += `${pick(subj)} ${pick(verb)} ${pick(obj)}${pick(tail)}.\n`;
  return s;
}

/** Run the experiment: generate the data, train, evaluate, write results/<name>/ and return the metrics. */
export async function run(o: RunOptions & { extra?: Record<string, string> } = {}) {
  await ensureBackend();
  const c = config(Boolean(o.quick), o.extra?.text ?? 'generated');
  const res = new Results('char-lm', o, c);
  const rng = new Rng(o.seed ?? 1);
  const text = c.text === 'generated' ? generatedText(c.generatedChars, rng.fork()) : fs.readFileSync(c.text, 'utf8');
  const vocab = charVocab(text);
  const ids = vocab.encode(text);
  const cut = Math.floor(ids.length * 0.9);
  const trainIds = ids.subarray(0, cut),
    valIds = ids.subarray(cut);
  if (valIds.length < c.context + 1)
    throw new Error(
      `char-lm: text of ${ids.length} characters is too short for a validation window of ${c.context + 1}`,
    );
  res.log(`${ids.length} characters, vocabulary ${vocab.size}`);
  const lm = causalLm(
    { vocab: vocab.size, context: c.context, dModel: c.dModel, heads: c.heads, layers: c.layers },
    rng.fork(),
  );
  const opt = adam({ learningRate: c.lr });
  const t0 = Date.now();
  const hist = await res.train('model', {
    params: lm.params,
    optimizer: opt,
    steps: c.steps,
    rng: rng.fork(),
    schedule: cosineDecay({ initial: c.lr, steps: c.steps, final: c.lr * 0.05 }),
    loss: ({ rng: r }) => lmLoss(lm, lmBatch(trainIds, c.batchSize, c.context, r)),
  });
  const seconds = (Date.now() - t0) / 1000;
  // validation: non-overlapping windows of the held-out 10%
  const vr = new Rng(99);
  const valNats = tf.tidy(() => lmLoss(lm, lmBatch(valIds, 64, c.context, vr), false).dataSync()[0]);
  const counts = new Map<number, number>();
  for (const t of trainIds) counts.set(t, (counts.get(t) ?? 0) + 1);
  const unigramNats =
    -Array.from(valIds).reduce((s, t) => s + Math.log(((counts.get(t) ?? 0) + 1) / (trainIds.length + vocab.size)), 0) /
    valIds.length;
  const sample = vocab.decode(sampleLm(lm, vocab.encode(text.slice(0, 8)), o.quick ? 20 : 300, new Rng(7), 0.8));
  const metrics = {
    valBitsPerChar: valNats / Math.LN2,
    unigramBitsPerChar: unigramNats / Math.LN2,
    finalTrainLoss: hist.loss[hist.loss.length - 1],
    trainSeconds: seconds,
    trainTokensPerSecond: (c.steps * c.batchSize * c.context) / seconds,
    sample,
  };
  res.log(
    `validation ${metrics.valBitsPerChar.toFixed(3)} bits/char (unigram ${metrics.unigramBitsPerChar.toFixed(3)})`,
  );
  res.log(`sample: ${JSON.stringify(sample.slice(0, 200))}`);
  const report = new Report('Character-level transformer language model');
  report
    .section('Training')
    .figure(lineFigure([{ name: 'cross-entropy (nats/char)', y: hist.loss }], { yScale: 'log', xLabel: 'step' }));
  report.section('Sample (temperature 0.8, seeded)').code(sample);
  res.finish(c, metrics, report);
  opt.dispose();
  lm.params.forEach((v) => v.dispose());
  return metrics;
}

runIfMain(module, run);

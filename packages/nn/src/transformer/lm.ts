/**
 * Causal decoder-only language model over characters (a tiny GPT, Radford et al. 2018):
 * token embedding + sinusoidal positions, causal pre-LN blocks, final LN, logits over the vocabulary.
 */
import { tf, type Rng, normalInit } from '@aml/core';
import { type Layer, collect, positiveInt, fmtShape } from '../layers/layer';
import { dense } from '../layers/dense';
import { layerNorm } from '../layers/norm';
import { initVariable } from '../layers/init';
import { softmaxCrossEntropy } from '../losses/losses';
import { transformerBlock } from './block';
import { sinusoidalEncoding1d } from './position';

/** Character vocabulary of a text: sorted distinct characters. */
export interface CharVocab {
  readonly chars: readonly string[];
  readonly size: number;
  encode(s: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
}

/** Build the vocabulary of `text`; encoding an unknown character is an error naming it. */
export function charVocab(text: string): CharVocab {
  const chars = Array.from(new Set(Array.from(text))).sort();
  const index = new Map(chars.map((c, i) => [c, i]));
  return {
    chars,
    size: chars.length,
    encode: (s) =>
      Int32Array.from(Array.from(s), (c) => {
        const i = index.get(c);
        if (i === undefined) throw new Error(`charVocab: character ${JSON.stringify(c)} is not in the vocabulary`);
        return i;
      }),
    decode: (ids) => Array.from(ids, (i) => chars[i]).join(''),
  };
}

/** Configuration of the causal LM. */
export interface CausalLmConfig {
  /** Vocabulary size V. */
  readonly vocab: number;
  /** Context length (maximum tokens the model reads). */
  readonly context: number;
  /** Model width. */
  readonly dModel: number;
  /** Heads per block. */
  readonly heads: number;
  /** Blocks. */
  readonly layers: number;
  /** FFN width (default 4 dModel). */
  readonly ffn?: number;
  /** Dropout (default 0). */
  readonly dropout?: number;
}

/** The LM: `apply` maps token ids (B, T) int32 -> logits (B, T, V). */
export interface CausalLm extends Layer {
  readonly config: CausalLmConfig;
}

/** Build the causal LM. */
export function causalLm(config: CausalLmConfig, rng: Rng): CausalLm {
  const name = 'causalLm';
  const V = positiveInt(name, 'vocab', config.vocab);
  const C = positiveInt(name, 'context', config.context);
  const D = config.dModel;
  // N(0, 1) entries, as PyTorch's nn.Embedding; the final layer norm keeps the scale in check.
  const emb = initVariable(normalInit(0, 1), [V, D], rng);
  const blocks = Array.from({ length: config.layers }, (_, l) =>
    transformerBlock(
      { dModel: D, heads: config.heads, ffn: config.ffn, causal: true, dropout: config.dropout, name: `lm.block${l}` },
      rng,
    ),
  );
  const lnF = layerNorm({ features: D, name: 'lm.lnF' });
  const head = dense({ inputSize: D, units: V, name: 'lm.head' }, rng);
  const parts = collect([...blocks, lnF, head]);
  return {
    name,
    config,
    params: [emb, ...parts.params],
    kernels: [emb, ...parts.kernels],
    state: [],
    apply(ids, o) {
      if (ids.rank !== 2 || ids.dtype !== 'int32')
        throw new Error(`${name}: expected int32 token ids (B, T), got ${ids.dtype} ${fmtShape(ids.shape)}`);
      const T = ids.shape[1]!;
      if (T > C)
        throw new Error(
          `${name}: sequence length ${T} exceeds the context ${C}; crop the input to the last ${C} tokens`,
        );
      return tf.tidy(() => {
        let h = tf.add(tf.gather(emb, ids), sinusoidalEncoding1d(T, D)); // (B, T, D)
        for (const b of blocks) h = b.apply(h, o);
        return head.apply(lnF.apply(h)); // (B, T, V)
      });
    },
  };
}

/** Next-token cross-entropy of a batch of windows (B, T+1) int32: predict ids[:, 1:] from ids[:, :-1]. */
export function lmLoss(model: CausalLm, windows: tf.Tensor2D, training = true): tf.Scalar {
  return tf.tidy(() => {
    const [B, T1] = windows.shape;
    const x = windows.slice([0, 0], [B, T1 - 1]);
    const y = windows.slice([0, 1], [B, T1 - 1]);
    return softmaxCrossEntropy(model.apply(x, { training }), y);
  });
}

/** Random training windows of length T+1 from an encoded text, as (B, T+1) int32. */
export function lmBatch(ids: Int32Array, batch: number, T: number, rng: Rng): tf.Tensor2D {
  if (ids.length < T + 1) throw new Error(`lmBatch: text of ${ids.length} tokens is shorter than a window of ${T + 1}`);
  const out = new Int32Array(batch * (T + 1));
  for (let b = 0; b < batch; b++) {
    const s = rng.int(ids.length - T);
    out.set(ids.subarray(s, s + T + 1), b * (T + 1));
  }
  return tf.tensor2d(out, [batch, T + 1], 'int32');
}

/**
 * Sample `n` tokens after `prompt` (seeded): softmax(logits / temperature) of the last position,
 * drawn with `rng`; temperature 0 picks the arg-max.
 */
export function sampleLm(model: CausalLm, prompt: ArrayLike<number>, n: number, rng: Rng, temperature = 1): Int32Array {
  const C = model.config.context;
  const seq = Array.from(prompt);
  if (seq.length === 0) throw new Error('sampleLm: prompt must have at least one token');
  for (let k = 0; k < n; k++) {
    const ctx = seq.slice(-C);
    const logits = tf.tidy(() => {
      const l = model.apply(tf.tensor2d([ctx], [1, ctx.length], 'int32'));
      return l.slice([0, ctx.length - 1, 0], [1, 1, model.config.vocab]).dataSync();
    });
    let next = 0;
    let m = Number.NEGATIVE_INFINITY; // a loop, not a spread: any vocabulary size
    for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
    if (temperature === 0) next = logits.indexOf(m);
    else {
      const p = Array.from(logits, (v) => Math.exp((v - m) / temperature));
      const s = p.reduce((a, b) => a + b);
      let u = rng.uniform() * s;
      next = p.length - 1;
      for (let i = 0; i < p.length; i++) {
        u -= p[i];
        if (u < 0) {
          next = i;
          break;
        }
      }
    }
    seq.push(next);
  }
  return Int32Array.from(seq.slice(prompt.length));
}

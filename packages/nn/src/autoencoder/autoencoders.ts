/**
 * Autoencoders (the course's weeks 8-10): an encoder to a latent code and a decoder back,
 * trained to reconstruct the input. Variants differ in the networks (dense, convolutional,
 * LSTM) and in the training loss (denoising, sparse, contractive: see penalties.ts).
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, collect, positiveInt } from '../layers/layer';
import type { LayerActivation } from '../layers/activation';
import { mlp, sequential } from '../layers/sequential';
import { dense } from '../layers/dense';
import { conv2d, convTranspose2d } from '../conv/conv';
import { flatten } from '../conv/pool';
import { recurrent } from '../recurrent/recurrent';

/** An autoencoder: `apply(x) = decode(encode(x))`. */
export interface Autoencoder extends Layer {
  readonly encoder: Layer;
  readonly decoder: Layer;
  /** Latent size. */
  readonly latent: number;
}

function assemble(name: string, encoder: Layer, decoder: Layer, latent: number): Autoencoder {
  return {
    name,
    encoder,
    decoder,
    latent,
    ...collect([encoder, decoder]),
    apply: (x, o) => tf.tidy(() => decoder.apply(encoder.apply(x, o), o)),
  };
}

/** Configuration of a dense autoencoder. */
export interface DenseAutoencoderConfig {
  /** Encoder widths from input to code, e.g. [784, 128, 32]; the decoder mirrors them. */
  readonly sizes: readonly number[];
  /** Hidden activation (default 'relu'); 'identity' everywhere gives the linear autoencoder. */
  readonly activation?: LayerActivation;
  /** Activation of the code (default 'identity'). */
  readonly codeActivation?: LayerActivation;
  /** Activation of the reconstruction (default 'identity'; 'sigmoid' for data in [0, 1] with BCE). */
  readonly outputActivation?: LayerActivation;
}

/**
 * Dense (stacked) autoencoder. (N, sizes[0]) -> code (N, sizes[last]) -> (N, sizes[0]).
 *
 * @example const ae = denseAutoencoder({ sizes: [3, 2], activation: 'identity' }, new Rng(0)); // linear AE, as PCA
 */
export function denseAutoencoder(config: DenseAutoencoderConfig, rng: Rng): Autoencoder {
  const s = config.sizes;
  if (s.length < 2) throw new Error(`denseAutoencoder: sizes needs input and code sizes, got [${s.join(', ')}]`);
  const act = config.activation ?? 'relu';
  const encoder = mlp(
    { sizes: s, activation: act, outputActivation: config.codeActivation ?? 'identity', name: 'ae.encoder' },
    rng,
  );
  const decoder = mlp(
    {
      sizes: [...s].reverse(),
      activation: act,
      outputActivation: config.outputActivation ?? 'identity',
      name: 'ae.decoder',
    },
    rng,
  );
  return assemble('denseAutoencoder', encoder, decoder, s[s.length - 1]);
}

/** Configuration of a convolutional autoencoder. */
export interface ConvAutoencoderConfig {
  /** Input (H, W, C); H = 1 for 1D signals (then strides act along W only). */
  readonly inputShape: readonly [number, number, number];
  /** Channels of each stride-2 conv level (default [16, 32]); H and W halve per level (W only when H = 1). */
  readonly channels?: readonly number[];
  /** Kernel size (default 3; 1 x k when H = 1). */
  readonly kernelSize?: number;
  /** Code size. */
  readonly latent: number;
  /** Activation (default 'relu'). */
  readonly activation?: LayerActivation;
  /** Reconstruction activation (default 'identity'). */
  readonly outputActivation?: LayerActivation;
}

/**
 * Convolutional autoencoder: stride-2 convs, dense code, dense + transposed convs back
 * (the course's Conv1d/ConvTranspose AE). (N, H, W, C) -> (N, latent) -> (N, H, W, C).
 */
export function convAutoencoder(config: ConvAutoencoderConfig, rng: Rng): Autoencoder {
  const [H, W, C] = config.inputShape;
  const ch = config.channels ?? [16, 32];
  const oneD = H === 1;
  const k = config.kernelSize ?? 3;
  const kernel: [number, number] = oneD ? [1, k] : [k, k];
  const strides: [number, number] = oneD ? [1, 2] : [2, 2];
  const div = 2 ** ch.length;
  if (W % div || (!oneD && H % div))
    throw new Error(
      `convAutoencoder: input ${H}x${W} must be divisible by 2^${ch.length} = ${div} along each strided axis`,
    );
  positiveInt('convAutoencoder', 'latent', config.latent);
  const act = config.activation ?? 'relu';
  const [h2, w2] = [oneD ? 1 : H / div, W / div];
  const last = ch[ch.length - 1];
  const enc: Layer[] = [];
  let cin = C;
  ch.forEach((c, i) => {
    enc.push(
      conv2d(
        {
          inChannels: cin,
          filters: c,
          kernelSize: kernel,
          strides,
          padding: 'same',
          activation: act,
          name: `cae.enc${i}`,
        },
        rng,
      ),
    );
    cin = c;
  });
  enc.push(flatten('cae.flatten'), dense({ inputSize: h2 * w2 * last, units: config.latent, name: 'cae.code' }, rng));
  const fc = dense({ inputSize: config.latent, units: h2 * w2 * last, activation: act, name: 'cae.dec.fc' }, rng);
  const ups = [...ch].reverse().map((c, i, arr) =>
    convTranspose2d(
      {
        inChannels: c,
        filters: arr[i + 1] ?? ch[0],
        kernelSize: kernel,
        strides,
        activation: act,
        name: `cae.dec${i}`,
      },
      rng,
    ),
  );
  const out = conv2d(
    {
      inChannels: ch[0],
      filters: C,
      kernelSize: kernel,
      padding: 'same',
      activation: config.outputActivation ?? 'identity',
      name: 'cae.out',
    },
    rng,
  );
  const decoder: Layer = {
    name: 'cae.decoder',
    ...collect([fc, ...ups, out]),
    apply: (z, o) =>
      tf.tidy(() => {
        // (N, latent) -> (N, h2*w2*C_last) -> (N, h2, w2, C_last) -> upsample -> (N, H, W, C)
        let y = fc.apply(z, o).reshape([z.shape[0], h2, w2, last]);
        for (const u of ups) y = u.apply(y, o);
        return out.apply(y, o);
      }),
  };
  return assemble('convAutoencoder', sequential(enc, 'cae.encoder'), decoder, config.latent);
}

/** Configuration of an LSTM (sequence) autoencoder. */
export interface LstmAutoencoderConfig {
  /** Steps per sequence. */
  readonly seqLen: number;
  /** Features per step. */
  readonly features: number;
  /** LSTM hidden units. */
  readonly hidden: number;
  /** Code size. */
  readonly latent: number;
}

/**
 * LSTM autoencoder (Srivastava et al. 2015): an LSTM reads the sequence into a code; the code,
 * repeated at every step, drives a decoder LSTM whose states map back to the features.
 * (N, T, F) -> (N, latent) -> (N, T, F).
 */
export function lstmAutoencoder(config: LstmAutoencoderConfig, rng: Rng): Autoencoder {
  const { seqLen: T, features: F, hidden: Hd, latent } = config;
  const encRnn = recurrent({ cell: 'lstm', inputSize: F, hidden: Hd, seqLen: T, name: 'lae.encoder' }, rng);
  const code = dense({ inputSize: Hd, units: latent, name: 'lae.code' }, rng);
  const decRnn = recurrent(
    { cell: 'lstm', inputSize: latent, hidden: Hd, returnSequences: true, name: 'lae.decoder' },
    rng,
  );
  const out = dense({ inputSize: Hd, units: F, name: 'lae.out' }, rng);
  const encoder: Layer = {
    name: 'lae.encoder',
    ...collect([encRnn, code]),
    apply: (x, o) => tf.tidy(() => code.apply(encRnn.apply(x, o), o)),
  };
  const decoder: Layer = {
    name: 'lae.decoder',
    ...collect([decRnn, out]),
    // (N, latent) -> (N, T, latent) -> (N, T, H) -> (N, T, F)
    apply: (z, o) => tf.tidy(() => out.apply(decRnn.apply(tf.tile(z.expandDims(1), [1, T, 1]), o), o)),
  };
  return assemble('lstmAutoencoder', encoder, decoder, latent);
}

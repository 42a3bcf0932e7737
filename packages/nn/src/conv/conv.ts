/**
 * Convolution layers on channels-last tensors (tfjs's native NHWC layout).
 *
 * Padding: 'valid' (none), 'same' (output = ceil(input / stride)), or an explicit number of zeros
 * on each side. Strides and kernels may differ per axis (e.g. a 7x1 kernel, stride [2, 1]).
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, checkShape, positiveInt, fmtShape } from '../layers/layer';
import { type LayerActivation, activationFn } from '../layers/activation';
import { type InitName, initVariable, constVariable } from '../layers/init';
import { convOutputSize } from './size';

/** A size per spatial axis, or one number for all. */
export type PerAxis = number | readonly [number, number];
/** Padding mode or explicit zeros per side. */
export type Padding = 'valid' | 'same' | number;

/** Configuration of a 2D convolution. */
export interface Conv2dConfig {
  /** Input channels C_in. */
  readonly inChannels: number;
  /** Output channels (number of filters) K. */
  readonly filters: number;
  /** Kernel size F, or [Fh, Fw]. */
  readonly kernelSize: PerAxis;
  /** Stride S, or [Sh, Sw] (default 1). */
  readonly strides?: PerAxis;
  /** Padding (default 'valid'). */
  readonly padding?: Padding;
  /** Activation (default 'identity'). */
  readonly activation?: LayerActivation;
  /** Kernel initialiser (default 'heNormal'). */
  readonly init?: InitName;
  /** Name for error messages (default 'conv2d'). */
  readonly name?: string;
}

const pair = (v: PerAxis | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** tfjs padding argument for our Padding. */
export function tfPadding(
  p: Padding,
): 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]] {
  return typeof p === 'number'
    ? [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ]
    : p;
}

/** Output spatial size for one axis under our Padding. */
export function outSize(n: number, f: number, s: number, p: Padding, layer: string): number {
  if (p === 'same') return Math.ceil(n / s);
  if (p === 'valid') return convOutputSize(n, f, 0, s, layer);
  return convOutputSize(n, f, p, s, layer);
}

/** A conv layer: kernel (Fh, Fw, C_in, K) and bias (K). */
export interface Conv2d extends Layer {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  /** Output shape (H_out, W_out, K) for an input (H, W). */
  outputShape(H: number, W: number): [number, number, number];
}

/**
 * 2D convolution. Input (N, H, W, C_in) -> output (N, H_out, W_out, K).
 *
 * @example
 *   const c = conv2d({ inChannels: 1, filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }, new Rng(0));
 *   c.apply(tf.zeros([2, 16, 16, 1])).shape // [2, 16, 16, 8]
 */
export function conv2d(config: Conv2dConfig, rng: Rng): Conv2d {
  const name = `conv2d '${config.name ?? 'conv2d'}'`;
  const cin = positiveInt(name, 'inChannels', config.inChannels);
  const k = positiveInt(name, 'filters', config.filters);
  const [fh, fw] = pair(config.kernelSize, 1);
  const [sh, sw] = pair(config.strides, 1);
  const pad = config.padding ?? 'valid';
  const act = activationFn(config.activation ?? 'identity', name);
  const kernel = initVariable(config.init ?? 'heNormal', [fh, fw, cin, k], rng, 1, name);
  const bias = constVariable([k], 0);
  const outputShape = (H: number, W: number): [number, number, number] => [
    outSize(H, fh, sh, pad, name),
    outSize(W, fw, sw, pad, name),
    k,
  ];
  return {
    name,
    kernel,
    bias,
    params: [kernel, bias],
    kernels: [kernel],
    state: [],
    outputShape,
    apply(x) {
      checkShape(name, x, [null, null, null, cin], 'input (N, H, W, C)');
      outputShape(x.shape[1]!, x.shape[2]!);
      return tf.tidy(() =>
        act(tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, [sh, sw], tfPadding(pad)), bias)),
      );
    },
  };
}

/** Configuration of a 1D convolution (same fields with scalar sizes). */
export interface Conv1dConfig {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly filters: number;
  /** Kernel length. */
  readonly kernelSize: number;
  /** Stride (default 1). */
  readonly stride?: number;
  /** Padding (default 'valid'). */
  readonly padding?: Padding;
  /** Activation (default 'identity'). */
  readonly activation?: LayerActivation;
  /** Kernel initialiser (default 'heNormal'). */
  readonly init?: InitName;
  /** Name for error messages (default 'conv1d'). */
  readonly name?: string;
}

/**
 * 1D convolution. Input (N, L, C_in) -> output (N, L_out, K). Implemented as a 2D convolution
 * over a height-1 image so every padding option works.
 */
export function conv1d(config: Conv1dConfig, rng: Rng): Layer {
  const name = `conv1d '${config.name ?? 'conv1d'}'`;
  const p = config.padding ?? 'valid';
  const inner = conv2d(
    {
      ...config,
      kernelSize: [1, config.kernelSize],
      strides: [1, config.stride ?? 1],
      padding: 'valid',
      name: config.name ?? 'conv1d',
    },
    rng,
  );
  const padL = (L: number) => {
    if (typeof p === 'number') return [p, p];
    if (p === 'valid') return [0, 0];
    const s = config.stride ?? 1;
    const total = Math.max((Math.ceil(L / s) - 1) * s + config.kernelSize - L, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  return {
    ...inner,
    name,
    apply(x) {
      checkShape(name, x, [null, null, config.inChannels], 'input (N, L, C)');
      const [a, b] = padL(x.shape[1]!);
      const L = x.shape[1]! + a + b;
      if (L < config.kernelSize)
        throw new Error(
          `${name}: padded length ${L} of input ${fmtShape(x.shape)} is shorter than the kernel ${config.kernelSize}`,
        );
      return tf.tidy(() => {
        // (N, L, C) -> (N, 1, L+a+b, C) -> conv -> (N, 1, L_out, K) -> (N, L_out, K)
        const xp = tf
          .pad(x, [
            [0, 0],
            [a, b],
            [0, 0],
          ])
          .expandDims(1);
        return tf.squeeze(inner.apply(xp), [1]);
      });
    },
  };
}

/** Configuration of a transposed 2D convolution ("deconvolution", the decoder's upsampling). */
export interface ConvTranspose2dConfig {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly filters: number;
  /** Kernel size. */
  readonly kernelSize: PerAxis;
  /** Stride (the upsampling factor; default 1). */
  readonly strides?: PerAxis;
  /** 'valid': H_out = (H-1) S + F; 'same': H_out = H S (default 'same'). */
  readonly padding?: 'valid' | 'same';
  /** Activation (default 'identity'). */
  readonly activation?: LayerActivation;
  /** Kernel initialiser (default 'glorotNormal'). */
  readonly init?: InitName;
  /** Name for error messages. */
  readonly name?: string;
}

/**
 * Transposed convolution (the adjoint of a strided convolution). Input (N, H, W, C_in) ->
 * output (N, H_out, W_out, K), kernel stored as (Fh, Fw, K, C_in) as tfjs expects.
 */
export function convTranspose2d(config: ConvTranspose2dConfig, rng: Rng): Layer {
  const name = `convTranspose2d '${config.name ?? 'convTranspose2d'}'`;
  const cin = positiveInt(name, 'inChannels', config.inChannels);
  const k = positiveInt(name, 'filters', config.filters);
  const [fh, fw] = pair(config.kernelSize, 1);
  const [sh, sw] = pair(config.strides, 1);
  const pad = config.padding ?? 'same';
  const act = activationFn(config.activation ?? 'identity', name);
  const kernel = initVariable(config.init ?? 'glorotNormal', [fh, fw, k, cin], rng, 1, name);
  const bias = constVariable([k], 0);
  return {
    name,
    params: [kernel, bias],
    kernels: [kernel],
    state: [],
    apply(x) {
      checkShape(name, x, [null, null, null, cin], 'input (N, H, W, C)');
      const [N, H, W] = x.shape;
      const ho = pad === 'same' ? H * sh : (H - 1) * sh + fh;
      const wo = pad === 'same' ? W * sw : (W - 1) * sw + fw;
      return tf.tidy(() =>
        act(tf.add(tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, [N, ho, wo, k], [sh, sw], pad), bias)),
      );
    },
  };
}

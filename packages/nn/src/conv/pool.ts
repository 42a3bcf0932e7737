/**
 * Pooling and flattening (parameter-free layers). Channels-last.
 */
import { tf } from '@aml/core';
import { type Layer, checkShape, fmtShape } from '../layers/layer';
import { type PerAxis, outSize } from './conv';

/** Configuration of a pooling layer. */
export interface PoolConfig {
  /** Window size (default 2). */
  readonly poolSize?: PerAxis;
  /** Stride (default: the window size, i.e. non-overlapping). */
  readonly strides?: PerAxis;
  /** 'valid' (default) or 'same'. */
  readonly padding?: 'valid' | 'same';
  /** Name for error messages. */
  readonly name?: string;
}

const pair = (v: PerAxis | undefined, d: [number, number]): [number, number] =>
  v === undefined ? d : typeof v === 'number' ? [v, v] : [v[0], v[1]];

function pool2d(kind: 'max' | 'avg', config: PoolConfig): Layer {
  const name = `${kind}Pool2d '${config.name ?? kind + 'Pool2d'}'`;
  const ps = pair(config.poolSize, [2, 2]);
  const st = pair(config.strides, ps);
  const pad = config.padding ?? 'valid';
  return {
    name,
    params: [],
    kernels: [],
    state: [],
    apply(x) {
      checkShape(name, x, [null, null, null, null], 'input (N, H, W, C)');
      outSize(x.shape[1]!, ps[0], st[0], pad, name);
      outSize(x.shape[2]!, ps[1], st[1], pad, name);
      return tf.tidy(() => (kind === 'max' ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, ps, st, pad));
    },
  };
}

/** Max pooling. (N, H, W, C) -> (N, H_out, W_out, C). */
export const maxPool2d = (config: PoolConfig = {}): Layer => pool2d('max', config);
/** Average pooling. (N, H, W, C) -> (N, H_out, W_out, C). */
export const avgPool2d = (config: PoolConfig = {}): Layer => pool2d('avg', config);

/** 1D pooling over sequences. (N, L, C) -> (N, L_out, C). */
export function pool1d(kind: 'max' | 'avg', config: { poolSize?: number; stride?: number; name?: string } = {}): Layer {
  const inner = pool2d(kind, {
    poolSize: [1, config.poolSize ?? 2],
    strides: [1, config.stride ?? config.poolSize ?? 2],
    name: config.name,
  });
  const name = `${kind}Pool1d '${config.name ?? kind + 'Pool1d'}'`;
  return {
    ...inner,
    name,
    apply(x) {
      checkShape(name, x, [null, null, null], 'input (N, L, C)');
      return tf.tidy(() => tf.squeeze(inner.apply(x.expandDims(1)), [1]));
    },
  };
}

/** Flatten every axis but the batch: (N, d1, d2, ...) -> (N, d1*d2*...). */
export function flatten(name = 'flatten'): Layer {
  return {
    name: `flatten '${name}'`,
    params: [],
    kernels: [],
    state: [],
    apply(x) {
      if (x.rank < 2) throw new Error(`flatten '${name}': expected a batch axis, got ${fmtShape(x.shape)}`);
      return x.reshape([x.shape[0], -1]);
    },
  };
}

/**
 * LeNet-style classifier (LeCun et al. 1998): [conv -> activation -> max-pool] x n, flatten,
 * dense hidden layers, logits.
 */
import type { Rng } from '@aml/core';
import { type Layer, positiveInt } from '../layers/layer';
import type { LayerActivation } from '../layers/activation';
import { sequential } from '../layers/sequential';
import { dense } from '../layers/dense';
import { dropout as dropoutLayer } from '../layers/dropout';
import { conv2d } from './conv';
import { maxPool2d, flatten } from './pool';

/** Configuration of the LeNet-style classifier. */
export interface LenetConfig {
  /** Input image (H, W, C). */
  readonly inputShape: readonly [number, number, number];
  /** Number of classes (logits out). */
  readonly classes: number;
  /** Filters of each conv block (default [6, 16]). */
  readonly channels?: readonly number[];
  /** Kernel size of every conv, 'same' padding (default 5). */
  readonly kernelSize?: number;
  /** Hidden dense widths (default [120, 84]). */
  readonly hidden?: readonly number[];
  /** Activation (default 'relu'). */
  readonly activation?: LayerActivation;
  /** Dropout before each dense hidden layer (default 0). */
  readonly dropout?: number;
}

/**
 * Input (N, H, W, C) -> logits (N, classes). Each block halves H and W (2x2 max-pool), so H and W
 * must be divisible by 2^blocks.
 *
 * @example const net = lenet({ inputShape: [16, 16, 1], classes: 2, channels: [8, 16], hidden: [32] }, new Rng(1));
 */
export function lenet(config: LenetConfig, rng: Rng): Layer {
  const [H, W, C] = config.inputShape;
  const ch = config.channels ?? [6, 16];
  const act = config.activation ?? 'relu';
  const f = config.kernelSize ?? 5;
  positiveInt('lenet', 'classes', config.classes);
  const div = 2 ** ch.length;
  if (H % div || W % div)
    throw new Error(
      `lenet: input ${H}x${W} must be divisible by 2^${ch.length} = ${div} (one 2x2 pool per conv block)`,
    );
  const layers: Layer[] = [];
  let cin = C;
  ch.forEach((k, i) => {
    layers.push(
      conv2d(
        { inChannels: cin, filters: k, kernelSize: f, padding: 'same', activation: act, name: `lenet.conv${i}` },
        rng,
      ),
    );
    layers.push(maxPool2d({ name: `lenet.pool${i}` }));
    cin = k;
  });
  layers.push(flatten('lenet.flatten'));
  let width = (H / div) * (W / div) * cin;
  (config.hidden ?? [120, 84]).forEach((h, i) => {
    if (config.dropout) layers.push(dropoutLayer({ rate: config.dropout, name: `lenet.drop${i}` }, rng));
    layers.push(dense({ inputSize: width, units: h, activation: act, init: 'heNormal', name: `lenet.fc${i}` }, rng));
    width = h;
  });
  layers.push(dense({ inputSize: width, units: config.classes, name: 'lenet.out' }, rng));
  return sequential(layers, 'lenet');
}

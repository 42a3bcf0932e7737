/**
 * One door to every built-in architecture: `createNetwork(spec, shape, rng)`. A body
 * ('mlp', 'modified-mlp', 'pirate') on top of optional embeddings (exact periodic, then
 * random Fourier features), every dense layer optionally weight-factorized. All of them
 * are written once over `NetOps`, so every derivative engine runs them.
 *
 * @example
 *   // jaxpi's Allen-Cahn network, CPU-sized: periodic x (period 2), Fourier sigma 1, RWF, modified MLP.
 *   const net = createNetwork(
 *     { kind: 'modified-mlp', hidden: [128, 128, 128], activation: 'tanh', periodic: { x: 2 },
 *       fourier: { sigma: 1, features: 128 }, factorized: { mu: 1, sigma: 0.1 } },
 *     { inputs: 2, outputs: 1, inputNames: ['x', 't'] }, new Rng(0));
 */
import {
  ACTIVATION_NAMES,
  check as checkOption,
  defineNetwork,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  tensorOps,
  type ActivationName,
  type Network,
  type NetOps,
  type Rng,
  type tf,
} from '@aml/core';
import { z } from 'zod';
import { applyDense, createDense, type FactorizedSpec } from './factorized';
import { createFourier, fourierEmbedding, type FourierSpec } from './fourier';
import { createMlpNetwork, type TrunkNetwork } from './mlp';
import { createModifiedMlp, equalWidths, modifiedMlpForward } from './modified-mlp';
import { periodicEmbedding, periodicWidth, type PeriodicAxis } from './periodic';
import type { PirateNetwork } from './pi-init';
import { createPirate, pirateFeatures, pirateForward } from './pirate';

/** The built-in bodies. */
export const NETWORK_KINDS = ['mlp', 'modified-mlp', 'pirate'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** A built-in network, as data (what config files and `SolverConfig.network` hold). */
export interface NetworkSpec {
  /** Body (default 'mlp'). */
  readonly kind?: NetworkKind;
  /** Hidden widths: layers for 'mlp' and 'modified-mlp' (equal widths), blocks for 'pirate'. */
  readonly hidden: readonly number[];
  /** Hidden activation (default 'tanh'). */
  readonly activation?: ActivationName;
  /** Random Fourier features on the (periodic-embedded) input. */
  readonly fourier?: FourierSpec;
  /** Exact periodic embedding: input name -> period, e.g. { x: 2 }. */
  readonly periodic?: Readonly<Record<string, number>>;
  /** Random weight factorization of every dense layer. */
  readonly factorized?: FactorizedSpec;
  /**
   * 'pirate' only: start the output layer as the least-squares fit of the problem's initial
   * condition (physics-informed initialisation; done by the solver, see `fitOutputLayer`).
   */
  readonly init?: 'initial-condition';
}

/** The shape a network must have. */
export interface NetworkShape {
  readonly inputs: number;
  readonly outputs: number;
  /** Input names, for `periodic` keys and messages (default x0, x1, ...). */
  readonly inputNames?: readonly string[];
}

/**
 * Check a spec against the input names before anything is built; each message names the
 * field (network.kind, network.fourier.sigma, network.periodic.x, ...).
 */
export function checkNetworkSpec(spec: NetworkSpec, inputNames: readonly string[]): void {
  check(spec, { inputs: inputNames.length, outputs: 1, inputNames });
}

function check(spec: NetworkSpec, shape: NetworkShape): void {
  const kind = spec.kind ?? 'mlp';
  if (!(NETWORK_KINDS as readonly string[]).includes(kind))
    throw new Error(`network.kind: unknown kind "${kind}"; use one of ${NETWORK_KINDS.join(', ')}`);
  if (!Array.isArray(spec.hidden))
    throw new Error('network.hidden: give the hidden widths as a list, e.g. [50, 50, 50]');
  checkOption(z.array(positiveInt()), spec.hidden, 'network.hidden');
  const act = spec.activation ?? 'tanh';
  if (!(ACTIVATION_NAMES as readonly string[]).includes(act))
    throw new Error(`network.activation: unknown activation "${act}"; use one of ${ACTIVATION_NAMES.join(', ')}`);
  const f = spec.fourier;
  const names = shape.inputNames ?? [];
  if (f) {
    if (typeof f.sigma === 'object' && f.sigma !== null) {
      for (const [name, s] of Object.entries(f.sigma)) {
        if (!names.includes(name))
          throw new Error(
            `network.fourier.sigma.${name}: no input named ${name}; inputs are ${names.join(', ') || '(unnamed)'}`,
          );
        checkOption(positiveNumber(), s, `network.fourier.sigma.${name}`);
      }
      const missing = names.filter((n) => !(n in (f.sigma as object)));
      if (missing.length)
        throw new Error(
          `network.fourier.sigma: give a sigma for every input (missing ${missing.join(', ')}), or one number for all`,
        );
    } else checkOption(positiveNumber(), f.sigma, 'network.fourier.sigma');
    const m = f.features ?? 128;
    if (!Number.isInteger(m) || m < 2 || m % 2 !== 0)
      throw new Error(`network.fourier.features must be an even integer >= 2 (m/2 cosines and m/2 sines), got ${m}`);
  }
  for (const [name, p] of Object.entries(spec.periodic ?? {})) {
    if (!names.includes(name))
      throw new Error(
        `network.periodic.${name}: no input named ${name}; inputs are ${names.join(', ') || '(unnamed)'}`,
      );
    if (!(p > 0) || !Number.isFinite(p)) throw new Error(`network.periodic.${name} must be a period > 0, got ${p}`);
  }
  if (kind !== 'mlp') equalWidths(spec.hidden, kind);
  if (spec.init !== undefined && (kind !== 'pirate' || spec.init !== 'initial-condition')) {
    throw new Error(
      `network.init: only "initial-condition" on a pirate network is known, got "${spec.init}" on ${kind}`,
    );
  }
  const r = spec.factorized;
  if (r) checkOption(nonNegativeNumber().optional(), r.sigma, 'network.factorized.sigma');
}

/** The kind label: body plus what is added, e.g. 'modified-mlp+periodic+fourier+factorized'. */
export function networkLabel(spec: NetworkSpec): string {
  const extras = [
    spec.periodic && Object.keys(spec.periodic).length ? 'periodic' : '',
    spec.fourier ? 'fourier' : '',
    spec.factorized ? 'factorized' : '',
  ];
  return [spec.kind ?? 'mlp', ...extras.filter((e) => e)].join('+');
}

/**
 * A fresh network for a spec, its weights drawn from rng. A plain MLP (no embedding, no
 * factorization) is a kind-'mlp' network with today's variable names and draws, which the
 * fused kernel runs. Throws, naming the field, on a bad spec.
 */
export function createNetwork(spec: NetworkSpec, shape: NetworkShape, rng: Rng): Network {
  check(spec, shape);
  const kind = spec.kind ?? 'mlp';
  const act = spec.activation ?? 'tanh';
  const axes: PeriodicAxis[] = Object.entries(spec.periodic ?? {}).map(([n, period]) => ({
    index: shape.inputNames!.indexOf(n),
    period,
  }));
  if (kind === 'mlp' && !spec.fourier && !spec.factorized && axes.length === 0) {
    return createMlpNetwork(
      { inputs: shape.inputs, hidden: spec.hidden, outputs: shape.outputs, activation: act },
      rng,
    );
  }
  const params: Record<string, tf.Variable> = {};
  const d = shape.inputs;
  let e = periodicWidth(d, axes);
  const sigma = spec.fourier?.sigma;
  // a sigma per input name -> one per embedded column (a periodic input's cos and sin share it)
  const rowSigma =
    typeof sigma === 'object'
      ? shape.inputNames!.flatMap((n, i) => (axes.some((a) => a.index === i) ? [sigma[n], sigma[n]] : [sigma[n]]))
      : undefined;
  const B = spec.fourier ? createFourier(params, e, spec.fourier, rng, rowSigma) : null;
  if (spec.fourier) e = spec.fourier.features ?? 128;
  const embed = <T>(ops: NetOps<T>, x: T): T => {
    const p = axes.length ? periodicEmbedding(ops, x, d, axes) : x;
    return B ? fourierEmbedding(ops, p, B) : p;
  };
  let body: <T>(ops: NetOps<T>, h0: T) => T;
  let trunk: TrunkNetwork['trunk'] | undefined;
  if (kind === 'modified-mlp') {
    const b = createModifiedMlp(params, e, spec.hidden, shape.outputs, rng, spec.factorized);
    body = (ops, h0) => modifiedMlpForward(ops, h0, b, act);
  } else if (kind === 'pirate') {
    const b = createPirate(params, e, spec.hidden, shape.outputs, rng, spec.factorized);
    const net = defineNetwork({
      kind: networkLabel(spec),
      inputs: d,
      outputs: shape.outputs,
      params,
      forward: (ops, x) => pirateForward(ops, embed(ops, x), b, act),
    });
    const pirate: PirateNetwork = {
      ...net,
      features: (x) => pirateFeatures(tensorOps, embed(tensorOps, x), b, act),
      outputLayer: b.out,
    };
    return pirate;
  } else {
    const sizes = [e, ...spec.hidden, shape.outputs];
    const layers = sizes
      .slice(1)
      .map((o, l) => createDense(params, `W${l}`, `b${l}`, sizes[l], o, rng, spec.factorized));
    body = (ops, h0) =>
      layers.reduce((h, layer, l) => {
        const z = applyDense(ops, h, layer);
        return l < layers.length - 1 ? ops.activation(z, act) : z;
      }, h0);
    // The fused kernel runs this body behind the embedding.
    trunk = {
      embed: <T>(ops: NetOps<T>, x: T): T => (axes.length ? periodicEmbedding(ops, x, d, axes) : x),
      fourier: B,
      sizes,
      activation: act,
      dense: () => ({ weights: layers.map((l) => l.kernel()), biases: layers.map((l) => l.bias as tf.Tensor1D) }),
    };
  }
  const net = defineNetwork({
    kind: networkLabel(spec),
    inputs: d,
    outputs: shape.outputs,
    params,
    forward: (ops, x) => body(ops, embed(ops, x)),
  });
  return trunk ? ({ ...net, trunk } as TrunkNetwork) : net;
}

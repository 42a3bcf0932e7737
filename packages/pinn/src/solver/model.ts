/**
 * A trained (or training) PINN: the network (any `Network`: a built-in spec or the user's
 * own), the trainable coefficients and the problem, with `predict` for evaluating outputs
 * (or any field symbol) at points.
 */
import { check, checkNetwork, positiveInt, tf, type Network, type Rng } from '@aml/core';
import { z } from 'zod';
import { autoEngine } from '../derivatives/choose';
import type { DerivativeEngine } from '../derivatives/engine';
import { mlpVariables } from '../derivatives/mlp';
import { fusedEngine } from '../fused/index';
import { createNetwork, type NetworkSpec } from '../networks/create';
import type { PirateNetwork } from '../networks/pi-init';
import type { Problem } from '../problems/problem';
import type { SolverConfig } from './config';
import { computeFields, pointsTensor, scalingToUnitBox, type InputScaling } from './fields';
import { initPirateFromInitialCondition } from './pirate-init';

export interface PinnModel {
  readonly problem: Problem;
  /** The network; for a plain MLP spec a kind-'mlp' network with variables W0, b0, ... */
  readonly net: Network;
  /** Coefficients by name: trainable ones are variables, fixed ones constants. */
  readonly params: Readonly<Record<string, tf.Variable>>;
  readonly engine: DerivativeEngine;
  readonly scaling?: InputScaling;
  /** Current values of the coefficients. */
  coefficients(): Record<string, number>;
  /**
   * Outputs (or any field, e.g. 'u_x') at points.
   * @param points (n*d) flat or n rows of d
   * @returns (n*k) flat, k = number of symbols (default: all outputs)
   */
  predict(points: Float64Array | readonly (readonly number[])[], symbols?: readonly string[]): Float64Array;
  /** All trainable variables (network's by their `params` names, then `param_<k>` coefficients), for optimizers and checkpoints. */
  variables(): Record<string, tf.Variable>;
  dispose(): void;
}

/** One fused engine shared by every solve() without an engine (the WASM runtime loads once). */
let sharedFused: DerivativeEngine | null = null;
/**
 * The default engine of a run: the fused kernel for plain MLPs (up to second order), jets
 * ('taylor') for other networks with a generic forward, 'nested' otherwise; one line says which.
 */
function defaultEngine(): DerivativeEngine {
  sharedFused ??= fusedEngine();
  return autoEngine({ first: sharedFused });
}

/** True when `config.network` is a network object rather than a spec. */
function isNetwork(n: SolverConfig['network']): n is Network {
  return typeof (n as Partial<Network>).apply === 'function';
}

/**
 * Check `SolverConfig.network` before anything is built: a spec's widths, or a network
 * object's contract, naming the field.
 */
export function checkNetworkConfig(network: SolverConfig['network'] | undefined): void {
  if (!network || typeof network !== 'object')
    throw new Error('solver: network is required: a spec such as { hidden: [20, 20, 20] } or a Network object');
  if (isNetwork(network)) {
    checkNetwork(network, 'solver: network');
    return;
  }
  if (!Array.isArray(network.hidden)) throw new Error('solver: network.hidden (list of hidden widths) is required');
  check(z.array(positiveInt()), network.hidden, 'solver: network.hidden');
}

/**
 * The network of a run: the given object (checked against the problem's shape), or a
 * fresh one built from the spec; periods of a periodic embedding are converted to the
 * scaled inputs the network sees.
 */
function buildNetwork(
  problem: Problem,
  network: SolverConfig['network'],
  scaling: InputScaling | undefined,
  rng: Rng,
): Network {
  const d = problem.geometry.dim;
  const m = problem.names.outputs.length;
  if (isNetwork(network)) {
    checkNetwork(network, 'solver: network');
    if (network.inputs !== d)
      throw new Error(
        `solver: network takes ${network.inputs} input(s) but the problem has ${d} (${problem.names.inputs.join(', ')})`,
      );
    if (network.outputs !== m)
      throw new Error(
        `solver: network gives ${network.outputs} output(s) but the problem has ${m} (${problem.names.outputs.join(', ')})`,
      );
    return network;
  }
  const spec: NetworkSpec =
    network.periodic && scaling
      ? {
          ...network,
          periodic: Object.fromEntries(
            Object.entries(network.periodic).map(([k, p]) => {
              const i = problem.names.inputs.indexOf(k);
              return [k, i >= 0 ? p * scaling.factor[i] : p]; // x' = (x - c) f: a period P in x is P f in x'
            }),
          ),
        }
      : network;
  return createNetwork(spec, { inputs: d, outputs: m, inputNames: problem.names.inputs }, rng);
}

/** Build the network and coefficients for a problem. The model owns the network: `dispose` frees it. */
export function createModel(problem: Problem, config: SolverConfig, rng: Rng): PinnModel {
  checkNetworkConfig(config.network);
  const scaling =
    config.scaleInputs === false ? undefined : scalingToUnitBox(problem.geometry.bbox.lo, problem.geometry.bbox.hi);
  const net = buildNetwork(problem, config.network, scaling, rng);
  const params: Record<string, tf.Variable> = {};
  for (const [k, spec] of Object.entries(problem.parameters))
    params[k] = tf.tidy(() => tf.variable(tf.scalar(spec.initial), spec.trainable ?? false));
  if (!isNetwork(config.network) && config.network.init === 'initial-condition') {
    initPirateFromInitialCondition(problem, net as PirateNetwork, params, scaling, rng.fork());
  }
  const engine = config.engine ?? defaultEngine();
  const d = problem.geometry.dim;
  return {
    problem,
    net,
    params,
    engine,
    scaling,
    coefficients: () => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.dataSync()[0]])),
    predict(points, symbols = problem.names.outputs) {
      const flat = points instanceof Float64Array ? points : Float64Array.from(points.flat());
      if (flat.length % d !== 0)
        throw new Error(`predict: points must have ${d} coordinates each (${problem.names.inputs.join(', ')})`);
      const n = flat.length / d;
      const k = symbols.length;
      const out = new Float64Array(n * k);
      const batch = 8192;
      for (let s = 0; s < n; s += batch) {
        const m = Math.min(batch, n - s);
        const vals = tf.tidy(() => {
          const x = pointsTensor(flat.subarray(s * d, (s + m) * d), d);
          const f = computeFields(net, engine, x, symbols, problem.names, problem.constraint, undefined, scaling);
          return tf
            .concat(
              symbols.map((sym) => f[sym]),
              1,
            )
            .dataSync(); // (m, k)
        });
        out.set(vals, s * k);
      }
      return out;
    },
    variables() {
      const v: Record<string, tf.Variable> = {};
      for (const [k, w] of Object.entries(net.params)) if (w.trainable) v[k] = w;
      for (const [k, p] of Object.entries(params)) if (problem.parameters[k].trainable) v[`param_${k}`] = p;
      return v;
    },
    dispose() {
      net.dispose();
      Object.values(params).forEach((p) => p.dispose());
    },
  };
}

export { mlpVariables };

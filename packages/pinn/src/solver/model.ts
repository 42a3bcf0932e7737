/**
 * A trained (or training) PINN: the network, the trainable coefficients and the problem,
 * with `predict` for evaluating outputs (or any field symbol) at points.
 */
import { tf, type Rng } from '@aml/core';
import type { DerivativeEngine, MlpParams } from '../derivatives/engine';
import { createMlp, disposeMlp, mlpVariables } from '../derivatives/mlp';
import { fusedEngine } from '../fused/index';
import type { Problem } from '../problems/problem';
import type { SolverConfig } from './config';
import { computeFields, pointsTensor, scalingToUnitBox, type InputScaling } from './fields';

export interface PinnModel {
  readonly problem: Problem;
  readonly net: MlpParams;
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
  /** All trainable variables (network then trainable coefficients), by name for checkpoints. */
  variables(): Record<string, tf.Variable>;
  dispose(): void;
}

/** Build the network and coefficients for a problem. */
/** One fused engine shared by every solve() without an engine (its notices are printed once). */
let sharedFused: DerivativeEngine | null = null;
function defaultEngine(): DerivativeEngine {
  sharedFused ??= fusedEngine();
  return sharedFused;
}

export function createModel(problem: Problem, config: SolverConfig, rng: Rng): PinnModel {
  const net = createMlp(
    { inputs: problem.geometry.dim, hidden: config.network.hidden, outputs: problem.names.outputs.length, activation: config.network.activation ?? 'tanh' },
    rng,
  );
  const params: Record<string, tf.Variable> = {};
  for (const [k, spec] of Object.entries(problem.parameters)) params[k] = tf.tidy(() => tf.variable(tf.scalar(spec.initial), spec.trainable ?? false));
  // The same default as a config file's training.engine: the fused kernel, which takes the
  // tfjs-ops (taylor) path with a one-line notice wherever it cannot run.
  const engine = config.engine ?? defaultEngine();
  const scaling = config.scaleInputs === false ? undefined : scalingToUnitBox(problem.geometry.bbox.lo, problem.geometry.bbox.hi);
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
      if (flat.length % d !== 0) throw new Error(`predict: points must have ${d} coordinates each (${problem.names.inputs.join(', ')})`);
      const n = flat.length / d;
      const k = symbols.length;
      const out = new Float64Array(n * k);
      const batch = 8192;
      for (let s = 0; s < n; s += batch) {
        const m = Math.min(batch, n - s);
        const vals = tf.tidy(() => {
          const x = pointsTensor(flat.subarray(s * d, (s + m) * d), d);
          const f = computeFields(net, engine, x, symbols, problem.names, problem.constraint, undefined, scaling);
          return tf.concat(symbols.map((sym) => f[sym]), 1).dataSync(); // (m, k)
        });
        out.set(vals, s * k);
      }
      return out;
    },
    variables() {
      const v: Record<string, tf.Variable> = {};
      net.weights.forEach((w, l) => {
        v[`W${l}`] = w;
        v[`b${l}`] = net.biases[l];
      });
      for (const [k, p] of Object.entries(params)) if (problem.parameters[k].trainable) v[`param_${k}`] = p;
      return v;
    },
    dispose() {
      disposeMlp(net);
      Object.values(params).forEach((p) => p.dispose());
    },
  };
}

export { mlpVariables };

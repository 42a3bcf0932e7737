/**
 * A trained plain-MLP network's weights as a NumPy `.npz`, so the model can be used without this project:
 * `W0, b0, W1, b1, ...` (W_l of shape (in, out), float32 as trained), the input scaling `shift`, `factor` (d)
 * applied before the first layer, `layers` (number of weight matrices) and `activation` (its name as ASCII bytes).
 * The forward pass in NumPy is `NUMPY_FORWARD` below (the network's output; a problem with a trial solution
 * h1 + h2 N applies that on top). Tested by running it in python3 against the tfjs forward pass.
 */
import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { formatNpz, type ArrayInput } from '@aml/data';
import type { NetworkLike } from '../derivatives/engine';
import { mlpView } from '../networks/mlp';
import type { InputScaling } from '../solver/fields';

/** The NumPy forward pass of a file written by `mlpToNpz` (activations of the course; add others to `acts`). */
export const NUMPY_FORWARD = `import numpy as np
acts = {'tanh': np.tanh, 'sin': np.sin, 'sigmoid': lambda z: 1 / (1 + np.exp(-z)), 'softplus': lambda z: np.logaddexp(0, z),
        'relu': lambda z: np.maximum(z, 0), 'silu': lambda z: z / (1 + np.exp(-z)), 'identity': lambda z: z}
def predict(f, x):                                   # f = np.load('net.npz'); x (N, d) -> (N, outputs)
    act, L = acts[bytes(f['activation']).decode()], int(f['layers'])
    h = (np.asarray(x, dtype=np.float64) - f['shift']) * f['factor']
    for l in range(L):
        h = h @ f[f'W{l}'].astype(np.float64) + f[f'b{l}']
        if l < L - 1: h = act(h)
    return h
`;

/**
 * Encode a plain MLP (`kind: 'mlp'` or bare weights) and its input scaling as `.npz` bytes.
 * @param scaling x' = (x - shift) * factor before the first layer (default: none, shift 0, factor 1)
 */
export function mlpToNpz(net: NetworkLike, scaling?: InputScaling): Uint8Array {
  const mlp = mlpView(net);
  if (!mlp)
    throw new Error(
      `mlpToNpz: the network is of kind '${(net as { kind?: string }).kind}'; only plain MLPs (kind 'mlp') have this NumPy forward pass`,
    );
  const d = mlp.weights[0].shape[0] as number;
  if (scaling && (scaling.shift.length !== d || scaling.factor.length !== d))
    throw new Error(`mlpToNpz: scaling needs ${d} shifts and factors (one per input)`);
  const arrays: Record<string, ArrayInput> = {};
  mlp.weights.forEach((w, l) => {
    arrays[`W${l}`] = { shape: w.shape as number[], data: Float32Array.from(w.dataSync()) }; // (in, out)
    arrays[`b${l}`] = { shape: mlp.biases[l].shape as number[], data: Float32Array.from(mlp.biases[l].dataSync()) }; // (out)
  });
  arrays.shift = { shape: [d], data: Float64Array.from(scaling?.shift ?? new Array<number>(d).fill(0)) };
  arrays.factor = { shape: [d], data: Float64Array.from(scaling?.factor ?? new Array<number>(d).fill(1)) };
  arrays.layers = { shape: [], data: Int32Array.of(mlp.weights.length) };
  arrays.activation = { shape: [mlp.activation.length], data: Uint8Array.from(Buffer.from(mlp.activation, 'ascii')) };
  return formatNpz(arrays, { compress: true });
}

/** Write `mlpToNpz(net, scaling)` to `file`. */
export function writeMlpNpz(file: string, net: NetworkLike, scaling?: InputScaling): void {
  fs.writeFileSync(file, mlpToNpz(net, scaling));
}

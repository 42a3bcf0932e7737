import { adam, type Rng, tf, train } from '@aml/core';
import type { Matrix } from '@aml/data';
import { disposeLayer, mlp, mse } from '@aml/nn';

/** Result of training an autoencoder with a 2D bottleneck. */
export interface AutoencoderResult {
  /** Codes (N, 2). */
  readonly embedding: Matrix;
  /** Mean squared reconstruction error per entry, after training. */
  readonly reconstructionError: number;
  /** Training loss per epoch. */
  readonly curve: number[];
}

/**
 * A tanh autoencoder d -> hidden -> 2 -> hidden -> d (@aml/nn MLPs) trained with Adam by @aml/core's trainer
 * on the MSE of the reconstruction. A linear autoencoder would recover the PCA plane; the nonlinearity can do
 * better on curved data, which is what the explore report compares.
 */
export async function fitAutoencoder(
  X: Matrix,
  o: {
    epochs: number;
    hidden?: number;
    batchSize?: number;
    lr?: number;
    onStep?: (loss: number) => void | Promise<void>;
  },
  rng: Rng,
): Promise<AutoencoderResult> {
  const h = o.hidden ?? 16;
  const enc = mlp({ sizes: [X.cols, h, 2], activation: 'tanh', name: 'encoder' }, rng);
  const dec = mlp({ sizes: [2, h, X.cols], activation: 'tanh', name: 'decoder' }, rng);
  const x = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]); // (N, d)
  const optimizer = adam({ learningRate: o.lr ?? 0.01 });
  const curve: number[] = [];
  try {
    await train({
      params: [...enc.params, ...dec.params] as tf.Variable[],
      optimizer,
      epochs: o.epochs,
      data: { x },
      batchSize: Math.min(o.batchSize ?? 64, X.rows),
      rng,
      progress: 'none',
      loss: (ctx) => mse(dec.apply(enc.apply(ctx.batch!.x)), ctx.batch!.x),
      callbacks: [
        {
          onStepEnd: (info) => o.onStep?.(info.loss),
          onEpochEnd: (info) => {
            curve.push(info.meanLoss);
          },
        },
      ],
    });
    const [code, err] = tf.tidy(() => {
      const z = enc.apply(x); // (N, 2)
      return [z, mse(dec.apply(z), x)];
    });
    const embedding = { data: Float64Array.from(code.dataSync()), rows: X.rows, cols: 2 };
    const reconstructionError = err.dataSync()[0];
    tf.dispose([code, err]);
    return { embedding, reconstructionError, curve };
  } finally {
    optimizer.dispose();
    x.dispose();
    disposeLayer(enc);
    disposeLayer(dec);
  }
}

/**
 * Gradient clipping by global norm (Pascanu, Mikolov & Bengio 2013): when the norm of all gradients
 * together exceeds `maxNorm`, scale them all by maxNorm / norm, keeping their direction.
 * A decorator: it wraps any first-order optimizer and is itself an `Optimizer`.
 */
import { tf } from '../tf';
import { valueAndGrads, type Optimizer, type OptimizerState } from './optimizer';

/**
 * Scale `grads` so their global L2 norm is at most `maxNorm`; returns new tensors (caller disposes)
 * and the norm before clipping.
 */
export function clipByGlobalNorm(
  grads: ReadonlyArray<tf.Tensor | null>,
  maxNorm: number,
): { grads: Array<tf.Tensor | null>; norm: number } {
  const present = grads.filter((g): g is tf.Tensor => g != null);
  let norm = 0;
  if (present.length) {
    const sq = tf.tidy(() => tf.addN(present.map((g) => g.square().sum()))); // scalar: sum of squares
    norm = Math.sqrt(sq.dataSync()[0]);
    sq.dispose();
  }
  const scale = norm > maxNorm ? maxNorm / norm : 1;
  return { grads: grads.map((g) => (g == null ? null : g.mul(scale))), norm };
}

class ClippedOptimizer implements Optimizer {
  /** Global gradient norm of the last update, before clipping. */
  lastNorm = NaN;

  constructor(
    private readonly inner: Optimizer,
    private readonly maxNorm: number,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get learningRate(): number {
    return this.inner.learningRate;
  }
  set learningRate(lr: number) {
    this.inner.learningRate = lr;
  }

  minimize(loss: () => tf.Scalar, vars: readonly tf.Variable[]): number {
    const { value, grads } = valueAndGrads(loss, vars);
    try {
      this.applyGradients(vars, grads);
    } finally {
      tf.dispose(grads.filter((g): g is tf.Tensor => g != null));
    }
    return value;
  }

  applyGradients(vars: readonly tf.Variable[], grads: ReadonlyArray<tf.Tensor | null>): void {
    const clipped = clipByGlobalNorm(grads, this.maxNorm);
    this.lastNorm = clipped.norm;
    try {
      this.inner.applyGradients(vars, clipped.grads);
    } finally {
      tf.dispose(clipped.grads.filter((g): g is tf.Tensor => g != null));
    }
  }

  getState(): OptimizerState {
    return this.inner.getState();
  }
  setState(state: OptimizerState): void {
    this.inner.setState(state);
  }
  dispose(): void {
    this.inner.dispose();
  }
}

/**
 * Wrap a first-order optimizer so every update's gradients are clipped to global norm <= maxNorm.
 * State, name and learning rate are the inner optimizer's (checkpoints are unchanged).
 * @example
 *   const opt = withGradientClipping(adam({ learningRate: 1e-3 }), { maxNorm: 1 });
 */
export function withGradientClipping(
  inner: Optimizer,
  options: { maxNorm: number },
): Optimizer & { readonly lastNorm: number } {
  const { maxNorm } = options;
  if (!(Number.isFinite(maxNorm) && maxNorm > 0))
    throw new Error(`withGradientClipping: maxNorm must be a finite number > 0, got ${maxNorm}`);
  if (inner.name === 'lbfgs')
    throw new Error('withGradientClipping: L-BFGS chooses its step by line search; clip only first-order optimizers');
  return new ClippedOptimizer(inner, maxNorm);
}

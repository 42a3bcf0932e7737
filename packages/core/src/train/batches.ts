/**
 * Mini-batches from tensors that share their first (example) dimension, shuffled each epoch
 * by a seeded generator. The shuffle state is part of a checkpoint so a resumed run sees the same batches.
 * Float32 and int32 data are read to the host once and each batch's rows are copied there (the values of
 * tf.gather, at a fraction of its cost on wasm); other dtypes are gathered on the backend.
 */
import { tf } from '../tf';
import { Rng, type RngState } from '../random/rng';

/** Serialisable position of the batch stream (stored in checkpoints). */
export interface BatchState {
  /** Shuffle generator state at the start of the current epoch (re-drawing the permutation reproduces it). */
  readonly epochStartRng: RngState;
  /** Epoch whose permutation `epochStartRng` draws. */
  readonly epoch: number;
}

/** Splits `data` into batches of `batchSize` rows; the last batch of an epoch may be smaller. */
export class Batcher {
  /** Rows per example set, N. */
  readonly size: number;
  /** Batches per epoch, ceil(N / batchSize). */
  readonly batchesPerEpoch: number;
  private rng: Rng;
  private epochStart: RngState;
  private epoch = -1;
  private perm: Int32Array | null = null;
  /** Host copies of float32/int32 data, read once: a batch is then copied row by row (see `batch`). */
  private host: Record<string, Float32Array | Int32Array> | null = null;

  /**
   * @param data       tensors with the same first dimension N, shape (N, ...rest) each
   * @param batchSize  rows per batch (>= N: the full batch every step, no copies)
   * @param shuffle    reshuffle each epoch
   * @param rng        generator for the shuffles (the Batcher owns it)
   */
  constructor(
    private readonly data: Readonly<Record<string, tf.Tensor>>,
    readonly batchSize: number,
    private readonly shuffle: boolean,
    rng: Rng,
  ) {
    const keys = Object.keys(data);
    if (keys.length === 0) throw new Error('train: data must hold at least one tensor');
    const n = data[keys[0]].shape[0];
    for (const k of keys) {
      const t = data[k];
      if (t.rank === 0)
        throw new Error(`train: data.${k} is a scalar; each data tensor needs a first (example) dimension`);
      if (t.shape[0] !== n) {
        throw new Error(
          `train: data tensors must share their first dimension: data.${keys[0]} has ${n} rows, data.${k} has ${t.shape[0]} (shape [${t.shape}])`,
        );
      }
    }
    this.size = n;
    this.batchesPerEpoch = Math.ceil(n / Math.min(batchSize, n));
    this.rng = rng;
    this.epochStart = rng.getState();
  }

  /** True when every batch is the whole data set (no gather, no shuffle needed). */
  get fullBatch(): boolean {
    return this.batchSize >= this.size;
  }

  /**
   * The batch `index` of `epoch` (epochs must be visited in order), shape (B, ...rest) per key.
   * The caller disposes the returned tensors unless `fullBatch` (then they are the data themselves).
   */
  batch(epoch: number, index: number): Record<string, tf.Tensor> {
    if (this.fullBatch) return { ...this.data };
    if (epoch !== this.epoch) this.startEpoch(epoch);
    const lo = index * this.batchSize,
      hi = Math.min(lo + this.batchSize, this.size);
    const perm = this.perm!;
    const out: Record<string, tf.Tensor> = {};
    let idx: tf.Tensor1D | null = null;
    for (const [k, t] of Object.entries(this.data)) {
      if (t.dtype !== 'float32' && t.dtype !== 'int32') {
        idx ??= tf.tensor1d(perm.subarray(lo, hi), 'int32'); // (B,)
        out[k] = tf.gather(t, idx); // (B, ...rest)
        continue;
      }
      // Rows copied on the host into one new tensor: the same values as tf.gather, without its kernel (on wasm a
      // gather of 64 rows of 64 floats costs about as much as a small network's whole forward pass).
      this.host ??= {};
      const src = (this.host[k] ??= t.dataSync() as Float32Array | Int32Array);
      const width = t.size / this.size;
      const rows = t.dtype === 'float32' ? new Float32Array((hi - lo) * width) : new Int32Array((hi - lo) * width);
      for (let r = lo; r < hi; r++) rows.set(src.subarray(perm[r] * width, (perm[r] + 1) * width), (r - lo) * width);
      out[k] = tf.tensor(rows, [hi - lo, ...t.shape.slice(1)], t.dtype); // (B, ...rest)
    }
    idx?.dispose();
    return out;
  }

  private startEpoch(epoch: number): void {
    this.epochStart = this.rng.getState();
    this.epoch = epoch;
    if (this.shuffle) this.perm = this.rng.permutation(this.size);
    else this.perm = Int32Array.from({ length: this.size }, (_, i) => i);
  }

  /** Where the stream is (for a checkpoint taken during `epoch`). */
  getState(): BatchState {
    return { epochStartRng: this.epochStart, epoch: this.epoch };
  }

  /** Continue a stream: the next `batch(state.epoch, i)` uses the same permutation as the saved run. */
  setState(state: BatchState): void {
    this.rng = Rng.fromState(state.epochStartRng);
    this.epoch = -1;
    if (state.epoch >= 0) this.startEpoch(state.epoch);
  }
}

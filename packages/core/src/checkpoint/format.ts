/**
 * On-disk checkpoint format (version 1): a folder a user can keep and inspect.
 *
 *   checkpoint/manifest.json        this file's `Manifest`: step, names and shapes, optimizer and RNG state, history
 *   checkpoint/weights-<step>.bin   every tensor (variables, optimizer slots) as little-endian float32, concatenated
 *
 * The manifest is written last and replaced atomically, so it always points at a complete weights file.
 */
import type { OptimizerState } from '../optim/optimizer';
import type { RngState } from '../random/rng';
import type { BatchState } from '../train/batches';
import type { History } from '../train/types';

export const CHECKPOINT_FORMAT = 'aml-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** One tensor's place in the weights file. */
export interface TensorEntry {
  /** `param/<name>` for a variable, `opt/<optimizer>/<variable index>/<slot>` for an optimizer slot. */
  readonly key: string;
  readonly shape: number[];
  readonly dtype: 'float32';
  /** Byte offset in the weights file. */
  readonly offset: number;
}

/** Optimizer state with its slot values moved into the weights file. */
export interface StoredOptimizer {
  readonly state: Omit<OptimizerState, 'slots'>;
  /** Per variable index, slot name -> key of the tensor entry. */
  readonly slots: Array<Record<string, string>>;
}

/** Contents of manifest.json. */
export interface Manifest {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  /** Random id of the run that wrote it (a writer only replaces its own run's checkpoints). */
  readonly runId: string;
  /** Global steps completed. */
  readonly step: number;
  /** ISO time of writing. */
  readonly createdAt: string;
  /** Weights file name, relative to the folder. */
  readonly weightsFile: string;
  /** Byte length of the weights file (checked on load). */
  readonly weightsBytes: number;
  readonly tensors: TensorEntry[];
  /** Variable names in training order. */
  readonly params: string[];
  readonly optimizers: Record<string, StoredOptimizer>;
  readonly rng: RngState | null;
  readonly batches: BatchState | null;
  readonly history: History | null;
  /** Plain description of the run's config. */
  readonly config: Record<string, unknown>;
  /** A model's own state beside variables and optimizers (absent in older checkpoints); its arrays are tensor entries `extra/<name>`. */
  readonly extra?: { readonly data: unknown; readonly arrays: string[] } | null;
}

/**
 * State a model keeps beside its variables and optimizers (a PINN's collocation points, adaptive
 * loss weights, further generators): JSON-able data and named float32 arrays.
 */
export interface RunState {
  /** Plain JSON-able data. */
  readonly data: unknown;
  /** Named arrays, stored in the weights file: shape and row-major float32 values. */
  readonly arrays?: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>>;
}

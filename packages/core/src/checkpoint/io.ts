/**
 * Writing and reading checkpoint folders (format in `format.ts`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../tf';
import type { Optimizer, OptimizerState } from '../optim/optimizer';
import type { Rng } from '../random/rng';
import type { BatchState } from '../train/batches';
import type { History } from '../train/types';
import { writeFileAtomic } from '../run-folder/folder';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type Manifest,
  type RunState,
  type StoredOptimizer,
  type TensorEntry,
} from './format';

/** What goes into a checkpoint. */
export interface CheckpointContent {
  /** Variables by name (training order). */
  readonly params: ReadonlyArray<readonly [string, tf.Variable]>;
  readonly optimizers?: Readonly<Record<string, Optimizer>>;
  readonly rng?: Rng;
  /** Global steps completed. */
  readonly step: number;
  readonly history?: History;
  readonly batches?: BatchState | null;
  readonly config?: Readonly<Record<string, unknown>>;
  /** The model's own state (see `RunState`). */
  readonly extra?: RunState;
}

/** A checkpoint read back from disk. */
export interface LoadedCheckpoint {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Tensor values by entry key. */
  readonly values: ReadonlyMap<string, { shape: number[]; data: Float32Array }>;
}

const MANIFEST = 'manifest.json';

function toLE(chunks: Float32Array[], total: number): Buffer {
  const buf = Buffer.alloc(total * 4);
  let off = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++, off += 4) buf.writeFloatLE(c[i], off);
  return buf;
}

/** Read only the manifest of a checkpoint folder, or null when there is none. */
export function readManifest(dir: string): Manifest | null {
  const p = join(dir, MANIFEST);
  if (!existsSync(p)) return null;
  const m = JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  if (m.format !== CHECKPOINT_FORMAT)
    throw new Error(`${p} is not an aml checkpoint manifest (format ${JSON.stringify(m.format)})`);
  if (m.version !== CHECKPOINT_VERSION)
    throw new Error(`${p}: checkpoint version ${m.version} is not supported (this code reads ${CHECKPOINT_VERSION})`);
  return m;
}

/**
 * Writes one run's checkpoints into its own folder: each write replaces the previous one atomically.
 * Refuses a folder that holds another run's checkpoint unless `adopt` (resuming that run) or `overwrite`.
 *
 * @example
 *   const w = new CheckpointWriter('results/heat/checkpoint');
 *   w.write({ params: [['w', w]], optimizers: { optimizer: opt }, rng, step: 100, history });
 */
export class CheckpointWriter {
  readonly runId: string;

  /**
   * @param dir      the checkpoint folder (created if missing), e.g. results/<name>/checkpoint
   * @param options  adopt: continue the run whose checkpoint is there (resume); overwrite: replace another run's
   */
  constructor(
    readonly dir: string,
    options: { adopt?: boolean; overwrite?: boolean } = {},
  ) {
    const existing = readManifest(dir);
    if (existing && !options.adopt && !options.overwrite) {
      throw new Error(
        `checkpoint folder ${dir} already holds a checkpoint of another run (step ${existing.step}, ${existing.createdAt}); ` +
          'resume from it (resumeFrom), choose another folder, or pass overwrite: true',
      );
    }
    this.runId = existing && options.adopt ? existing.runId : randomBytes(8).toString('hex');
    mkdirSync(dir, { recursive: true });
  }

  /** Write a checkpoint of `content`; returns the manifest written. */
  write(content: CheckpointContent): Manifest {
    const tensors: TensorEntry[] = [];
    const chunks: Float32Array[] = [];
    let total = 0;
    const add = (key: string, shape: number[], data: Float32Array) => {
      tensors.push({ key, shape, dtype: 'float32', offset: total * 4 });
      chunks.push(data);
      total += data.length;
    };
    for (const [name, v] of content.params) {
      if (v.dtype !== 'float32')
        throw new Error(`checkpoint: variable '${name}' has dtype ${v.dtype}; only float32 is stored`);
      add(`param/${name}`, [...v.shape], v.dataSync() as Float32Array);
    }
    const optimizers: Record<string, StoredOptimizer> = {};
    for (const [oname, opt] of Object.entries(content.optimizers ?? {})) {
      const { slots, ...state } = opt.getState();
      optimizers[oname] = {
        state,
        slots: slots.map((s, i) =>
          Object.fromEntries(
            Object.entries(s).map(([slot, st]) => {
              const key = `opt/${oname}/${i}/${slot}`;
              add(key, [...st.shape], Float32Array.from(st.values));
              return [slot, key];
            }),
          ),
        ),
      };
    }
    const extraArrays = Object.entries(content.extra?.arrays ?? {});
    for (const [name, a] of extraArrays) add(`extra/${name}`, [...a.shape], a.data);
    const weightsFile = `weights-${String(content.step).padStart(8, '0')}.bin`;
    const bytes = toLE(chunks, total);
    writeFileAtomic(join(this.dir, weightsFile), bytes);
    const manifest: Manifest = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      runId: this.runId,
      step: content.step,
      createdAt: new Date().toISOString(),
      weightsFile,
      weightsBytes: bytes.length,
      tensors,
      params: content.params.map(([n]) => n),
      optimizers,
      rng: content.rng?.getState() ?? null,
      batches: content.batches ?? null,
      history: content.history ?? null,
      config: { ...(content.config ?? {}) },
      extra: content.extra ? { data: content.extra.data, arrays: extraArrays.map(([n]) => n) } : null,
    };
    writeFileAtomic(join(this.dir, MANIFEST), JSON.stringify(manifest, null, 1));
    // Only now is the previous weights file unreferenced.
    for (const f of readdirSync(this.dir)) {
      if (/^weights-\d+\.bin$/.test(f) && f !== weightsFile) rmSync(join(this.dir, f), { force: true });
    }
    return manifest;
  }
}

/** Write a single checkpoint into `dir` (refusing another run's checkpoint unless `overwrite`). */
export function saveCheckpoint(
  dir: string,
  content: CheckpointContent,
  options: { overwrite?: boolean } = {},
): Manifest {
  return new CheckpointWriter(dir, options).write(content);
}

/** Read a checkpoint folder (manifest + weights), checking the weights file is complete. */
export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const manifest = readManifest(dir);
  if (!manifest) throw new Error(`no checkpoint in ${dir}: ${join(dir, MANIFEST)} does not exist`);
  const wpath = join(dir, manifest.weightsFile);
  if (!existsSync(wpath)) throw new Error(`checkpoint ${dir}: weights file ${manifest.weightsFile} is missing`);
  const size = statSync(wpath).size;
  if (size !== manifest.weightsBytes) {
    throw new Error(
      `checkpoint ${dir}: ${manifest.weightsFile} has ${size} bytes, the manifest expects ${manifest.weightsBytes} (truncated copy?)`,
    );
  }
  const buf = readFileSync(wpath);
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const t of manifest.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = buf.readFloatLE(t.offset + 4 * i);
    values.set(t.key, { shape: t.shape, data });
  }
  return { dir, manifest, values };
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Put a loaded checkpoint's weights, optimizer states and RNG state into a model.
 * Every variable must be in the checkpoint with the same shape (the error names the variable and both shapes).
 */
export function restoreCheckpoint(
  ckpt: LoadedCheckpoint,
  target: {
    params: ReadonlyArray<readonly [string, tf.Variable]>;
    optimizers?: Readonly<Record<string, Optimizer>>;
    rng?: Rng;
  },
): void {
  const { manifest, values } = ckpt;
  // Check everything before changing anything.
  for (const [name, v] of target.params) {
    const saved = values.get(`param/${name}`);
    if (!saved)
      throw new Error(`checkpoint ${ckpt.dir} has no variable '${name}' (it has: ${manifest.params.join(', ')})`);
    if (saved.shape.length !== v.shape.length || saved.shape.some((d, i) => d !== v.shape[i])) {
      throw new Error(
        `checkpoint ${ckpt.dir}: variable '${name}' has shape ${shapeText(saved.shape)} in the checkpoint but ${shapeText(v.shape)} in the model`,
      );
    }
  }
  for (const name of Object.keys(target.optimizers ?? {})) {
    if (!manifest.optimizers[name]) {
      throw new Error(
        `checkpoint ${ckpt.dir} has no state for optimizer '${name}' (it has: ${Object.keys(manifest.optimizers).join(', ') || 'none'})`,
      );
    }
  }
  for (const [name, v] of target.params) {
    const saved = values.get(`param/${name}`)!;
    const t = tf.tensor(saved.data, saved.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
  for (const [name, opt] of Object.entries(target.optimizers ?? {})) {
    const stored = manifest.optimizers[name];
    const slots = stored.slots.map((s) =>
      Object.fromEntries(
        Object.entries(s).map(([slot, key]) => {
          const val = values.get(key)!;
          return [slot, { shape: val.shape, values: Array.from(val.data) }];
        }),
      ),
    );
    opt.setState({ ...stored.state, slots } as OptimizerState);
  }
  if (target.rng && manifest.rng) target.rng.setState(manifest.rng);
}

/** The model's own state stored in a loaded checkpoint (`CheckpointContent.extra`), or null when it has none. */
export function checkpointExtra(ckpt: LoadedCheckpoint): RunState | null {
  const e = ckpt.manifest.extra;
  if (!e) return null;
  const arrays: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const name of e.arrays) {
    const v = ckpt.values.get(`extra/${name}`);
    if (!v)
      throw new Error(`checkpoint ${ckpt.dir}: array '${name}' of the model's state is missing from the weights file`);
    arrays[name] = v;
  }
  return { data: e.data, arrays };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeJson } from '@aml/core/node';
import type { LearningCurve, SavedModel } from '../models/model';
import type { Tuning } from '../analyze/nested';
import type { FoldDiagnostics } from '../analyze/diagnostics';

/** One finished model on one fold, as the checkpoint keeps it. */
export interface FoldEntry {
  readonly scores: Record<string, number>;
  readonly curve: LearningCurve;
  readonly seconds: number;
  /** CPU seconds of the same work (this process, user + system; older checkpoints: absent). */
  readonly cpuSeconds?: number;
  /** Out-of-fold predictions of the fold's validation rows (class index or target units), in split order. */
  readonly pred: Float64Array;
  /** Grid point and inner scores chosen by nested cross-validation, when it ran. */
  readonly tuning?: Tuning;
  /** Permutation importance and confidences on the fold's held-out rows, when nested cross-validation ran. */
  readonly diagnostics?: FoldDiagnostics;
}

/** What `checkpoint/state.json` records: the run's identity and what is done. */
interface State {
  readonly version: 1;
  /** The options and data file the run was started with; a resume must match them. */
  readonly identity: Record<string, unknown>;
  /** `fold/model` keys of finished cross-validation fits. */
  readonly folds: string[];
  /** Models fitted on all rows. */
  readonly final: string[];
}

/**
 * Checkpoints of an analyze run in `<dir>/checkpoint/`: after every finished fold/model and every final fit,
 * its scores and predictions are written atomically (temporary file, then rename), so a run killed at any
 * instant, even by kill -9, resumes from its last finished fit with `--resume` and ends with the same results.
 */
export class Checkpoint {
  private readonly root: string;
  private state: State;

  private constructor(dir: string, state: State) {
    this.root = path.join(dir, 'checkpoint');
    this.state = state;
  }

  /** A fresh checkpoint for a new run (written at the first finished fit). */
  static start(dir: string, identity: Record<string, unknown>): Checkpoint {
    return new Checkpoint(dir, { version: 1, identity, folds: [], final: [] });
  }

  /**
   * The checkpoint of an interrupted run in `dir`, checked against this run's `identity`: a resume with other
   * options or a changed data file would mix two different analyses, so it is an error naming what differs.
   */
  static resume(dir: string, identity: Record<string, unknown>): Checkpoint {
    const file = path.join(dir, 'checkpoint', 'state.json');
    if (!fs.existsSync(file)) {
      throw new Error(
        `--resume: ${dir} holds no checkpoint to resume (no checkpoint/state.json); run without --resume to start`,
      );
    }
    let state: State;
    try {
      state = JSON.parse(fs.readFileSync(file, 'utf8')) as State;
    } catch {
      throw new Error(`--resume: ${file} is not readable JSON; start over with --force`);
    }
    const keys = new Set([...Object.keys(state.identity ?? {}), ...Object.keys(identity)]);
    const diff = [...keys].filter((k) => JSON.stringify(state.identity?.[k]) !== JSON.stringify(identity[k]));
    if (diff.length > 0) {
      const show = diff
        .map((k) => `${k}: ${JSON.stringify(state.identity?.[k])} then, ${JSON.stringify(identity[k])} now`)
        .join('; ');
      throw new Error(
        `--resume: this run differs from the interrupted one in ${show}; resume with the same file and options, or start over with --force`,
      );
    }
    return new Checkpoint(dir, state);
  }

  /** Number of finished fits (cross-validation and final). */
  get finished(): number {
    return this.state.folds.length + this.state.final.length;
  }

  /** Models of the finished cross-validation fits (one entry per fold) and final fits, for progress. */
  get done(): { readonly folds: string[]; readonly final: string[] } {
    return { folds: this.state.folds.map((k) => k.slice(k.indexOf('/') + 1)), final: [...this.state.final] };
  }

  /** Whether `model` finished on fold `f` (0-based) before. */
  hasFold(f: number, model: string): boolean {
    return this.state.folds.includes(`${f}/${model}`);
  }

  /** The saved result of `model` on fold `f` (0-based), if it finished before. */
  fold(f: number, model: string): FoldEntry | undefined {
    const key = `${f}/${model}`;
    if (!this.state.folds.includes(key)) return undefined;
    const meta = JSON.parse(fs.readFileSync(this.file(`fold${f + 1}-${model}.json`), 'utf8')) as Omit<
      FoldEntry,
      'pred'
    >;
    const buf = fs.readFileSync(this.file(`fold${f + 1}-${model}.f64`));
    const pred = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    // JSON has no NaN: a score written as null reads back as NaN, as the uninterrupted run holds it.
    const scores = Object.fromEntries(Object.entries(meta.scores).map(([k, v]) => [k, v ?? NaN]));
    return { ...meta, scores, pred };
  }

  /** Record `model` finished on fold `f`: data files first, then the state that lists it. */
  saveFold(f: number, model: string, e: FoldEntry): void {
    writeFileAtomic(
      this.file(`fold${f + 1}-${model}.f64`),
      new Uint8Array(e.pred.buffer, e.pred.byteOffset, e.pred.byteLength),
    );
    writeJson(this.file(`fold${f + 1}-${model}.json`), {
      scores: e.scores,
      curve: e.curve,
      seconds: e.seconds,
      cpuSeconds: e.cpuSeconds,
      tuning: e.tuning,
      diagnostics: e.diagnostics,
    });
    this.commit({ ...this.state, folds: [...this.state.folds, `${f}/${model}`] });
  }

  /** The saved final fit of `model`, if it finished before. */
  final(model: string): SavedModel | undefined {
    if (!this.state.final.includes(model)) return undefined;
    return JSON.parse(fs.readFileSync(this.file(`final-${model}.json`), 'utf8')) as SavedModel;
  }

  /** Record the final fit of `model`. */
  saveFinal(model: string, saved: SavedModel): void {
    writeJson(this.file(`final-${model}.json`), saved);
    this.commit({ ...this.state, final: [...this.state.final, model] });
  }

  private commit(next: State): void {
    writeJson(this.file('state.json'), next);
    this.state = next;
  }

  private file(name: string): string {
    return path.join(this.root, name);
  }
}

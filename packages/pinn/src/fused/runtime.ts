/**
 * The fused kernel's host side, free of tfjs: loads the WASM build (relaxed SIMD where the
 * runtime validates it, else plain SIMD), owns its shared memory, writes the plan, splits
 * point blocks over threads, and keeps forward tapes for the reverse pass.
 * Inputs and outputs are plain Float32Arrays; the tfjs op (op.ts) wraps this.
 */
import { fs, inNode, path, v8 } from '../platform/node-modules'; // Node only, loaded on use
import { WasmHeap } from './heap';
import { KernelThreads } from './pool';
import { Wasm, type WasmMemory, type WasmModule } from './wasm-api';
import { FUSED_ACTIVATIONS, PL, type ChannelPlan, type FusedActivation } from './plan';

/** 'relaxed': f32x4.relaxed_madd (FMA); 'simd': plain WASM SIMD. */
export type FusedBuild = 'relaxed' | 'simd';

/**
 * In Node, the folder holding the builds: `<package>/build` (scripts/build-kernels.js writes them;
 * they ship inside the package). A browser loads them by URL instead (`loadFusedKernel`).
 */
export function kernelDir(): string {
  return path.resolve(__dirname, '../../build');
}

/** An MLP as plain arrays: sizes [d, n_1, ..., m]; W_l (n_l, n_{l+1}) row-major; b_l (n_{l+1}). */
export interface FusedNetData {
  readonly sizes: readonly number[];
  readonly activation: FusedActivation;
  /** Per hidden layer, when they differ (e.g. 'sin' for a Fourier-feature layer under tanh layers); default `activation`. */
  readonly activations?: readonly FusedActivation[];
  readonly weights: readonly Float32Array[];
  readonly biases: readonly Float32Array[];
}

/** Per-call settings. */
export interface FusedRunOptions {
  /** Threads (1 = the calling thread only). The split of points is fixed by this number. */
  readonly threads: number;
  /** Points per block (multiple of 16): a block's Taylor stack should fit in L1/L2. */
  readonly blockSize: number;
  /**
   * Layer 0's whole input stack instead of x: one (n, sizes[0]) array per channel of the plan
   * (value, first derivatives, pairs), e.g. an embedding's value and input derivatives. Then x
   * is not read, and the reverse pass returns this stack's adjoint (`stackBar`) instead of dL/dx.
   */
  readonly stack?: readonly Float32Array[];
}

interface Tape {
  readonly ptr: number;
  readonly bytes: number;
  readonly key: string;
}

const MAX_BYTES = 2 ** 31 - 65536; // the builds declare a 2 GB maximum
const MAX_TAPES = 8;
const MAX_TAPE_BYTES = 2 ** 29;

let relaxedFlag = false;
/** Node 20's V8 gates relaxed SIMD behind a flag; it must be set before compiling. */
function allowRelaxedSimd(): void {
  if (relaxedFlag) return;
  relaxedFlag = true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // Newer runtimes ship it on; validate() below decides either way.
  }
}

const runtimes = new Map<FusedBuild, FusedRuntime | Error>();

/**
 * The runtime for a build ('auto': relaxed if this runtime validates it, else simd).
 * Throws an Error saying why when no build can be used (not built, or rejected).
 */
export function loadRuntime(build: FusedBuild | 'auto' = 'auto'): FusedRuntime {
  if (build === 'auto') {
    const r = tryLoad('relaxed');
    if (!(r instanceof Error)) return r;
    const s = tryLoad('simd');
    if (s instanceof Error) throw new Error(`${s.message}; relaxed build: ${r.message}`);
    return s;
  }
  const r = tryLoad(build);
  if (r instanceof Error) throw r;
  return r;
}

function tryLoad(build: FusedBuild): FusedRuntime | Error {
  const cached = runtimes.get(build);
  if (cached) return cached;
  if (!inNode()) {
    return new Error(
      `fused kernel: in a browser, load it by URL first (await loadFusedKernel(baseUrl)); the ${build} build is not loaded`,
    );
  }
  let result: FusedRuntime | Error;
  const file = path.join(kernelDir(), `fused-${build}.wasm`);
  if (!fs.existsSync(file)) {
    result = new Error(
      `fused kernel not built (${path.relative(process.cwd(), file)} missing; run npm ci or node packages/pinn/scripts/build-kernels.js)`,
    );
  } else {
    warnIfStale(file);
    const bytes = fs.readFileSync(file);
    // Set V8's flag only where relaxed SIMD is not on already (Node 20); newer runtimes need nothing.
    if (build === 'relaxed' && !Wasm.validate(bytes)) allowRelaxedSimd();
    if (!Wasm.validate(bytes)) {
      result = new Error(
        `this runtime rejects the ${build} build (WASM ${build === 'relaxed' ? 'relaxed ' : ''}SIMD unsupported)`,
      );
    } else {
      result = new FusedRuntime(build, new Wasm.Module(bytes));
    }
  }
  runtimes.set(build, result);
  return result;
}

/**
 * Load the fused kernel by URL, for a browser (Node reads it from disk on its own): fetches
 * `<baseUrl>fused-relaxed.wasm`, or `fused-simd.wasm` when this browser rejects relaxed SIMD,
 * compiles it asynchronously and keeps it for the fused engine. Returns the build in use.
 * Serve the page cross-origin isolated (COOP/COEP headers): the kernel's memory is shared.
 * @param baseUrl  folder URL of the `.wasm` files (the package's `build/` folder, served), ending in `/`
 * @example await loadFusedKernel('/assets/aml-pinn/'); // then solve(..., { engine: 'fused' })
 */
export async function loadFusedKernel(baseUrl: string, build: FusedBuild | 'auto' = 'auto'): Promise<FusedBuild> {
  const reasons: string[] = [];
  for (const b of build === 'auto' ? (['relaxed', 'simd'] as const) : [build]) {
    const cached = runtimes.get(b);
    if (cached && !(cached instanceof Error)) return b;
    const url = `${baseUrl}fused-${b}.wasm`;
    const res = await fetch(url);
    if (!res.ok) {
      reasons.push(`${url}: HTTP ${res.status}`);
      continue;
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (!Wasm.validate(bytes)) {
      reasons.push(`this browser rejects the ${b} build`);
      continue;
    }
    const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<WasmModule> } })
      .WebAssembly;
    runtimes.set(b, new FusedRuntime(b, await wasm.compile(bytes))); // async: browsers refuse large synchronous compiles
    return b;
  }
  throw new Error(`fused kernel could not be loaded: ${reasons.join('; ')}`);
}

/** Say so (once per build) when assembly/ was edited after the build: the tests would run old code. */
function warnIfStale(file: string): void {
  const src = path.resolve(kernelDir(), '../assembly');
  if (!fs.existsSync(src)) return;
  const built = fs.statSync(file).mtimeMs;
  const newer = fs.readdirSync(src).filter((f) => f.endsWith('.ts') && fs.statSync(path.join(src, f)).mtimeMs > built);
  if (newer.length > 0) {
    console.warn(
      `fused kernel: ${path.basename(file)} is older than assembly/${newer[0]}; rebuild with npm run build:kernels -w @aml/pinn`,
    );
  }
}

/** Tracks one call's transient regions so they are released together. */
class CallRegions {
  private readonly offs: number[] = [];
  constructor(private readonly heap: WasmHeap) {}
  alloc(bytes: number): number {
    const off = this.heap.alloc(bytes);
    this.offs.push(off);
    return off;
  }
  release(): void {
    for (const off of this.offs.reverse()) this.heap.release(off);
  }
}

interface Layout {
  readonly plan: number;
  readonly nb: number;
  readonly tapeBytes: number;
  readonly tapeOffsets: readonly number[];
  readonly scratchBytes: number;
  readonly gradBytes: number;
  readonly gradOffsets: readonly { readonly w: number; readonly b: number }[];
  readonly key: string;
}

/** One loaded build: its memory, heap, helper threads and tapes. */
export class FusedRuntime {
  private readonly memory: WasmMemory;
  private readonly exports: {
    forward(plan: number, b0: number, b1: number, scratch: number): void;
    backward(plan: number, b0: number, b1: number, scratch: number, grads: number): void;
    constantBytes(): number;
  };
  private readonly heap: WasmHeap;
  private readonly threads: KernelThreads;
  private readonly tapes = new Map<number, Tape>();
  private nextTape = 1;

  constructor(
    readonly build: FusedBuild,
    module: WasmModule,
  ) {
    this.memory = new Wasm.Memory({ initial: 16, maximum: 32768, shared: true });
    const instance = new Wasm.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as FusedRuntime['exports'];
    this.heap = new WasmHeap(this.memory, 1024, MAX_BYTES);
    this.threads = new KernelThreads(module, this.memory);
  }

  /** Bytes of WASM memory in use (high-water mark of the heap). */
  get memoryBytes(): number {
    return this.heap.topBytes;
  }

  /** Live tapes (forward passes whose reverse pass has not run yet). */
  get liveTapes(): number {
    return this.tapes.size;
  }

  private layout(
    call: CallRegions,
    net: FusedNetData,
    x: Float32Array,
    n: number,
    plan: ChannelPlan,
    opt: FusedRunOptions,
  ): Layout {
    const sizes = net.sizes;
    const NL = sizes.length - 1;
    const d = sizes[0];
    const m = sizes[NL];
    const C = plan.channels;
    const P = opt.blockSize;
    const nb = Math.ceil(n / P);
    const maxW = sizes.reduce((a, b) => Math.max(a, b), 0);
    const rowBytes = C * P * 4;
    const p = call.alloc(PL.SIZE * 4);
    const slots = new Int32Array(this.memory.buffer, p, PL.SIZE);
    slots.fill(0);
    slots[PL.D] = d;
    slots[PL.M] = m;
    slots[PL.NL] = NL;
    slots[PL.ACT] = FUSED_ACTIVATIONS[net.activation];
    const acts = net.activations ?? Array.from({ length: NL - 1 }, () => net.activation);
    if (acts.length !== NL - 1)
      throw new Error(
        `fused kernel: ${acts.length} activations for ${NL - 1} hidden layers; give one per hidden layer`,
      );
    acts.forEach((a, l) => (slots[PL.ACTS + l] = FUSED_ACTIVATIONS[a]));
    slots[PL.C] = C;
    slots[PL.NF] = plan.first.length;
    slots[PL.NP] = plan.pairs.length;
    slots[PL.P] = P;
    slots[PL.N] = n;
    slots[PL.NB] = nb;
    slots[PL.MAXW] = maxW;
    sizes.forEach((s, i) => (slots[PL.WIDTHS + i] = s));
    plan.first.forEach((f, i) => (slots[PL.DIRS + i] = f));
    const nF = plan.first.length;
    const triples = plan.triples ?? [];
    if (C > 16 || triples.length > 4)
      throw new Error(`fused kernel: ${C} channels and ${triples.length} third derivatives (it takes up to 16 and 4)`);
    slots[PL.NT] = triples.length;
    triples.forEach(([a, q], t) => {
      // Byte offsets of the channels (i), (i, i) and (i, i, i) within a row.
      slots[PL.TRIPOFF + 3 * t] = (1 + a) * P * 4;
      slots[PL.TRIPOFF + 3 * t + 1] = (1 + nF + q) * P * 4;
      slots[PL.TRIPOFF + 3 * t + 2] = (1 + nF + plan.pairs.length + t) * P * 4;
    });
    plan.pairs.forEach(([a, b], q) => {
      slots[PL.PAIRS + 2 * q] = a;
      slots[PL.PAIRS + 2 * q + 1] = b;
      // Byte offsets of the pair's two first-derivative channels and its own, within a row.
      slots[PL.PAIROFF + 3 * q] = (1 + a) * P * 4;
      slots[PL.PAIROFF + 3 * q + 1] = (1 + b) * P * 4;
      slots[PL.PAIROFF + 3 * q + 2] = (1 + nF + q) * P * 4;
    });
    const tapeOffsets: number[] = [];
    let tapeBytes = 0;
    const gradOffsets: { w: number; b: number }[] = [];
    let gradBytes = 0;
    for (let l = 0; l < NL; l++) {
      const [ni, no] = [sizes[l], sizes[l + 1]];
      const w = call.alloc(ni * no * 4);
      const wt = call.alloc(ni * no * 4);
      const b = call.alloc(no * 4);
      const W = net.weights[l];
      new Float32Array(this.memory.buffer, w, ni * no).set(W);
      const WT = new Float32Array(this.memory.buffer, wt, ni * no);
      for (let i = 0; i < ni; i++) for (let o = 0; o < no; o++) WT[o * ni + i] = W[i * no + o];
      new Float32Array(this.memory.buffer, b, no).set(net.biases[l]);
      slots[PL.W + l] = w;
      slots[PL.WT + l] = wt;
      slots[PL.B + l] = b;
      if (l < NL - 1) {
        slots[PL.TAPEOFF + l] = tapeBytes;
        tapeOffsets.push(tapeBytes);
        tapeBytes += nb * no * (rowBytes + 2 * P * 4); // z-stack + the activation's two saved planes per row
      }
      // Per layer: W's float64 gradient, b's, then W's f32x4 accumulators (64-byte aligned).
      gradOffsets.push({ w: gradBytes, b: gradBytes + ni * no * 8 });
      slots[PL.GW + l] = gradBytes;
      slots[PL.GB + l] = gradBytes + ni * no * 8;
      gradBytes += Math.ceil(((ni * no + no) * 8) / 64) * 64;
      slots[PL.GV + l] = gradBytes;
      gradBytes += Math.ceil((ni * no * 16) / 64) * 64;
    }
    if (opt.stack) {
      if (opt.stack.length !== C)
        throw new Error(`fused kernel: input stack has ${opt.stack.length} channels, plan has ${C}`);
      opt.stack.forEach((s, c) => {
        if (s.length < n * d)
          throw new Error(`fused kernel: input stack channel ${c} holds ${s.length} values, need ${n * d}`);
        const sp = call.alloc(n * d * 4);
        new Float32Array(this.memory.buffer, sp, n * d).set(s.subarray(0, n * d));
        new Int32Array(this.memory.buffer, p, PL.SIZE)[PL.IN + c] = sp;
      });
    } else {
      const xp = call.alloc(n * d * 4);
      new Float32Array(this.memory.buffer, xp, n * d).set(x.subarray(0, n * d));
      slots[PL.X] = xp;
    }
    const key = `${sizes.join('-')}|${acts.join(',')}|${plan.first.join(',')}|${plan.pairs.map((q) => q.join(':')).join(',')}|${triples.map((q) => q.join(':')).join(',')}|${n}|${P}`;
    return {
      plan: p,
      nb,
      tapeBytes,
      tapeOffsets,
      scratchBytes: 6 * maxW * rowBytes + 8 * maxW * P * 4 + this.exports.constantBytes(),
      gradBytes,
      gradOffsets,
      key,
    };
  }

  /** Run `cmd` over all blocks, thread t taking blocks [t nb / T, (t+1) nb / T). */
  private run(cmd: 0 | 1, lay: Layout, scratch: readonly number[], grads: readonly number[], threads: number): void {
    const share = (t: number) => [Math.floor((t * lay.nb) / threads), Math.floor(((t + 1) * lay.nb) / threads)];
    if (threads > 1) this.threads.ensure(threads - 1);
    for (let t = 1; t < threads; t++) {
      const [b0, b1] = share(t);
      this.threads.post(
        t - 1,
        cmd,
        cmd === 0 ? [lay.plan, b0, b1, scratch[t]] : [lay.plan, b0, b1, scratch[t], grads[t]],
      );
    }
    const [b0, b1] = share(0);
    let err: unknown;
    try {
      if (cmd === 0) this.exports.forward(lay.plan, b0, b1, scratch[0]);
      else this.exports.backward(lay.plan, b0, b1, scratch[0], grads[0]);
    } catch (e) {
      err = e;
    }
    for (let t = 1; t < threads; t++) this.threads.wait(t - 1);
    if (err) throw err;
  }

  private newTape(lay: Layout): number {
    // Evict the oldest tapes beyond the limits; their reverse pass will recompute the forward.
    let total = lay.tapeBytes;
    for (const t of this.tapes.values()) total += t.bytes;
    for (const [id, t] of this.tapes) {
      if (this.tapes.size < MAX_TAPES && total <= MAX_TAPE_BYTES) break;
      total -= t.bytes;
      this.dropTape(id);
    }
    const ptr = this.heap.alloc(Math.max(64, lay.tapeBytes));
    const id = this.nextTape++;
    this.tapes.set(id, { ptr, bytes: lay.tapeBytes, key: lay.key });
    return id;
  }

  /** Release a tape (after its reverse pass, or when it will not be needed). */
  dropTape(id: number): void {
    const t = this.tapes.get(id);
    if (!t) return;
    this.heap.release(t.ptr);
    this.tapes.delete(id);
  }

  /**
   * Forward pass. x: (n, d) row-major. Returns, for each channel in `outChannels`, an (n, m)
   * array (a view into WASM memory, valid until the next call on this runtime: copy it),
   * and the id of the tape kept for the reverse pass (0 if keepTape is false).
   */
  forward(
    net: FusedNetData,
    x: Float32Array,
    n: number,
    plan: ChannelPlan,
    outChannels: readonly number[],
    opt: FusedRunOptions & { readonly keepTape: boolean },
  ): { outputs: Float32Array[]; tape: number } {
    const call = new CallRegions(this.heap);
    try {
      const lay = this.layout(call, net, x, n, plan, opt);
      const m = net.sizes[net.sizes.length - 1];
      const slots = () => new Int32Array(this.memory.buffer, lay.plan, PL.SIZE);
      const outPtrs = outChannels.map((c) => {
        const ptr = call.alloc(n * m * 4);
        slots()[PL.OUT + c] = ptr;
        return ptr;
      });
      const scratch = Array.from({ length: opt.threads }, () => call.alloc(lay.scratchBytes));
      let tape = 0;
      if (opt.keepTape) {
        tape = this.newTape(lay);
        slots()[PL.TAPE] = this.tapes.get(tape)!.ptr;
      }
      this.run(0, lay, scratch, [], opt.threads);
      return { outputs: outPtrs.map((ptr) => new Float32Array(this.memory.buffer, ptr, n * m)), tape };
    } finally {
      call.release();
    }
  }

  /**
   * Reverse pass: gradients of sum_c <dys[c], channel c> with respect to weights, biases and
   * (if wantX) x, or with `opt.stack`, every channel of that input stack (`stackBar`). dys: one (n, m) array or null per channel. Uses the tape `tape` when it
   * matches this call, else recomputes the forward pass first; the tape is released.
   */
  backward(
    net: FusedNetData,
    x: Float32Array,
    n: number,
    plan: ChannelPlan,
    tape: number,
    dys: readonly (Float32Array | null)[],
    opt: FusedRunOptions & { readonly wantX: boolean },
  ): { gradW: Float32Array[]; gradB: Float32Array[]; xbar: Float32Array | null; stackBar: Float32Array[] | null } {
    const call = new CallRegions(this.heap);
    try {
      const lay = this.layout(call, net, x, n, plan, opt);
      const sizes = net.sizes;
      const m = sizes[sizes.length - 1];
      const slots = () => new Int32Array(this.memory.buffer, lay.plan, PL.SIZE);
      const scratch = Array.from({ length: opt.threads }, () => call.alloc(lay.scratchBytes));
      const kept = this.tapes.get(tape);
      if (kept && kept.key === lay.key) {
        slots()[PL.TAPE] = kept.ptr;
      } else {
        // Tape evicted or never kept: recompute the forward pass into a temporary one.
        slots()[PL.TAPE] = call.alloc(Math.max(64, lay.tapeBytes));
        this.run(0, lay, scratch, [], opt.threads);
      }
      dys.forEach((dy, c) => {
        if (!dy) return;
        const ptr = call.alloc(n * m * 4);
        new Float32Array(this.memory.buffer, ptr, n * m).set(dy.subarray(0, n * m));
        slots()[PL.DY + c] = ptr;
      });
      const xbar = opt.wantX && !opt.stack ? call.alloc(n * sizes[0] * 4) : 0;
      slots()[PL.XBAR] = xbar;
      const stackBar =
        opt.wantX && opt.stack
          ? opt.stack.map((_, c) => {
              const ptr = call.alloc(n * sizes[0] * 4);
              slots()[PL.INBAR + c] = ptr;
              return ptr;
            })
          : null;
      const grads = Array.from({ length: opt.threads }, () => {
        const g = call.alloc(lay.gradBytes);
        new Float64Array(this.memory.buffer, g, lay.gradBytes / 8).fill(0);
        return g;
      });
      this.run(1, lay, scratch, grads, opt.threads);
      // Sum the threads' float64 partials in a fixed order, then round once to float32.
      const gradW: Float32Array[] = [];
      const gradB: Float32Array[] = [];
      lay.gradOffsets.forEach((o, l) => {
        const [ni, no] = [sizes[l], sizes[l + 1]];
        const w = new Float64Array(ni * no);
        const b = new Float64Array(no);
        for (const g of grads) {
          const gw = new Float64Array(this.memory.buffer, g + o.w, ni * no);
          const gb = new Float64Array(this.memory.buffer, g + o.b, no);
          for (let i = 0; i < w.length; i++) w[i] += gw[i];
          for (let i = 0; i < no; i++) b[i] += gb[i];
        }
        gradW.push(Float32Array.from(w));
        gradB.push(Float32Array.from(b));
      });
      const xb = xbar ? new Float32Array(this.memory.buffer, xbar, n * sizes[0]) : null;
      const sb = stackBar ? stackBar.map((ptr) => new Float32Array(this.memory.buffer, ptr, n * sizes[0])) : null;
      return { gradW, gradB, xbar: xb, stackBar: sb };
    } finally {
      this.dropTape(tape);
      call.release();
    }
  }

  /** Stop helper threads and drop all tapes. */
  dispose(): void {
    for (const id of [...this.tapes.keys()]) this.dropTape(id);
    this.threads.dispose();
  }
}

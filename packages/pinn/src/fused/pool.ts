/**
 * Extra kernel threads: worker_threads that instantiate the same WASM module on the same
 * shared memory and run their fixed share of point blocks when told to. The calling
 * thread runs share 0 and blocks (Atomics.wait) until the workers are done, so the tfjs
 * kernel stays synchronous. Shares are fixed by thread count, so results are repeatable.
 */
import type { Worker } from 'node:worker_threads';
import { inNode, workerThreads } from '../platform/node-modules'; // loaded on use: one thread needs no workers
import type { WasmMemory, WasmModule } from './wasm-api';

// Control words (Int32Array over a SharedArrayBuffer) per worker.
const SEQ = 0; // job number the host posted
const DONE = 1; // job number the worker finished (-1 until ready)
const CMD = 2; // 0 forward, 1 backward, -1 quit
const ARGS = 3; // up to 5 i32 arguments
const ERR = 8; // 1 if the job threw
const WORDS = 16;

// Plain JS so it runs the same under ts-node, jest and built code.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const c = new Int32Array(ctrl);
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
Atomics.store(c, ${DONE}, 0);
Atomics.notify(c, ${DONE});
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  seen = Atomics.load(c, ${SEQ});
  const cmd = c[${CMD}];
  if (cmd === -1) break;
  const a = ${ARGS};
  try {
    if (cmd === 0) ex.forward(c[a], c[a + 1], c[a + 2], c[a + 3]);
    else ex.backward(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4]);
    c[${ERR}] = 0;
  } catch (e) {
    c[${ERR}] = 1;
  }
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

interface Slot {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
}

/** A fixed set of helper threads for one kernel runtime. */
export class KernelThreads {
  private readonly slots: Slot[] = [];

  constructor(
    private readonly module: WasmModule,
    private readonly memory: WasmMemory,
  ) {}

  /** Ensure `count` helper threads are running (started once, then kept; they never keep the process alive). */
  ensure(count: number): void {
    while (this.slots.length < count) {
      const ctrl = new Int32Array(new SharedArrayBuffer(WORDS * 4));
      ctrl[DONE] = -1;
      if (!inNode())
        throw new Error('fused kernel: threads > 1 needs Node (worker_threads); in a browser use threads: 1');
      const worker = new workerThreads.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: this.module, memory: this.memory, ctrl: ctrl.buffer },
      });
      worker.unref();
      // Block until the worker has instantiated the module (tens of ms, once).
      if (Atomics.wait(ctrl, DONE, -1, 30000) === 'timed-out') {
        void worker.terminate();
        throw new Error('fused kernel: a helper thread did not start within 30 s');
      }
      this.slots.push({ worker, ctrl });
    }
  }

  /** Post a job to helper i (0-based) without waiting. */
  post(i: number, cmd: 0 | 1, args: readonly number[]): void {
    const c = this.slots[i].ctrl;
    args.forEach((v, k) => (c[ARGS + k] = v));
    c[CMD] = cmd;
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
  }

  /** Wait for helper i's last job; throws if it failed. */
  wait(i: number): void {
    const c = this.slots[i].ctrl;
    const want = Atomics.load(c, SEQ);
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done === want) break;
      Atomics.wait(c, DONE, done, 1000);
    }
    if (c[ERR] !== 0) throw new Error(`fused kernel: helper thread ${i + 1} failed`);
  }

  /** Stop all helper threads. */
  dispose(): void {
    for (const s of this.slots) {
      s.ctrl[CMD] = -1;
      Atomics.add(s.ctrl, SEQ, 1);
      Atomics.notify(s.ctrl, SEQ);
      void s.worker.terminate();
    }
    this.slots.length = 0;
  }
}

/**
 * Backend choice: one call (`initBackend`) picks the fastest backend that works here,
 * says which one runs and why the others were skipped, and fails clearly when a
 * backend the user named cannot be used.
 *
 * Auto order in Node: node-gpu (libtensorflow + CUDA), node (libtensorflow CPU), wasm (SIMD), cpu (pure JS).
 * Auto order in a browser: webgpu, webgl, wasm, cpu. The library reads no environment variable:
 * programs pass `env` (or `backend`) in.
 */
import { tf } from '../tf';
import { z } from 'zod';
import { applyBackendFixes } from './fixes/registry';
import { AUTO_ORDER, BACKEND_NAMES, detectPlatform, type BackendName, type Platform } from './platform';
import { checkNodeGpu, type NativeBackendLike } from './gpu';

export { BACKEND_NAMES, AUTO_ORDER, detectPlatform } from './platform';
export type { BackendName, Platform } from './platform';
/** A backend name, or 'auto' for the platform's order. */
export type BackendChoice = BackendName | 'auto';

/** The tfjs registry name each of our backends registers under. */
const TFJS_NAME: Record<BackendName, string> = {
  'node-gpu': 'tensorflow',
  node: 'tensorflow',
  webgpu: 'webgpu',
  webgl: 'webgl',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Options of `initBackend`. */
export interface BackendOptions {
  /** Backend to use; 'auto' tries the platform's order (see `AUTO_ORDER`). Overrides `env`. */
  readonly backend?: BackendChoice;
  /** Environment to read `AML_BACKEND` from when `backend` is not given; programs pass `process.env`. Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Platform whose auto order to use (default: detected, see `detectPlatform`). */
  readonly platform?: Platform;
  /** Where the wasm backend's `.wasm` files are served from, in a browser (a URL prefix ending in `/`). */
  readonly wasmPaths?: string;
  /** Where to send the one-line report (default: console.error, so stdout stays clean for data). */
  readonly log?: (line: string) => void;
  /** Silence the report entirely. */
  readonly quiet?: boolean;
}

/** What `initBackend` chose, and why. */
export interface BackendInfo {
  /** Our name for the backend that runs. */
  readonly name: BackendName;
  /** tfjs's registry name (`tensorflow`, `webgpu`, `webgl`, `wasm`, `cpu`). */
  readonly tfjsName: string;
  /** The platform whose order was used. */
  readonly platform: Platform;
  /** Why each backend tried before it was skipped. */
  readonly skipped: ReadonlyArray<{ readonly name: BackendName; readonly reason: string }>;
  /** Extra facts (WASM SIMD / threads, GPU device, registered fixes). */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

const choiceSchema = z.enum(['auto', ...BACKEND_NAMES]);

let current: BackendInfo | undefined;

/** Parse a user's backend choice, with a message naming the field and the valid values. */
export function parseBackendChoice(value: unknown, field = 'backend'): BackendChoice {
  const r = choiceSchema.safeParse(value);
  if (!r.success) {
    throw new Error(`${field}: unknown backend ${JSON.stringify(value)}; use one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  return r.data;
}

type Attempt = { ok: true; details?: Record<string, string | boolean> } | { ok: false; reason: string };

/** Node's require, when there is one (absent in a browser bundle). Literal requires stay bundleable. */
function nodeRequire(mod: string): Attempt {
  try {
    if (typeof require !== 'function') return { ok: false, reason: `${mod} needs Node` };
    // Native bindings throw at load time when their install script did not run.
    require(mod);
    return { ok: true };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && msg.includes(mod);
    return { ok: false, reason: missing ? `${mod} is not installed` : `${mod} failed to load: ${msg}` };
  }
}

/** Load the package that registers a backend, if it is not registered yet. */
function load(name: BackendName, options: BackendOptions): Attempt {
  if (name === 'node-gpu') return nodeRequire('@tensorflow/tfjs-node-gpu');
  if (name === 'node') {
    const r = nodeRequire('@tensorflow/tfjs-node');
    // tfjs-node-gpu without a GPU registers the same libtensorflow backend, which then runs on the CPU.
    return r.ok || !tf.findBackendFactory('tensorflow')
      ? r
      : { ok: true, details: { via: 'tfjs-node-gpu', gpu: false } };
  }
  if (name === 'wasm') {
    try {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
      if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
      return { ok: true };
    } catch (e) {
      return {
        ok: false,
        reason: `@tensorflow/tfjs-backend-wasm failed to load: ${(e as Error).message.split('\n')[0]}`,
      };
    }
  }
  if (name === 'webgpu') {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (!nav?.gpu) return { ok: false, reason: 'this browser has no WebGPU (navigator.gpu)' };
  }
  if (!tf.findBackendFactory(TFJS_NAME[name])) {
    const pkg =
      name === 'webgpu'
        ? "import '@tensorflow/tfjs-backend-webgpu' before initBackend"
        : 'it registers only in a browser';
    return { ok: false, reason: `backend '${TFJS_NAME[name]}' is not registered (${pkg})` };
  }
  return { ok: true };
}

async function attempt(name: BackendName, options: BackendOptions): Promise<Attempt> {
  const loaded = load(name, options);
  if (!loaded.ok) return loaded;
  try {
    const ok = await tf.setBackend(TFJS_NAME[name]);
    if (!ok) return { ok: false, reason: `tf.setBackend('${TFJS_NAME[name]}') returned false` };
    await tf.ready();
    const details: Record<string, string | boolean> = { ...loaded.details };
    if (name === 'node-gpu') {
      const gpu = checkNodeGpu(tf.backend() as unknown as NativeBackendLike);
      if (!gpu.ok) return { ok: false, reason: gpu.reason };
      details.device = gpu.device;
    }
    if (name === 'cpu') silenceCpuAdvert();
    // Fixes are registered kernels and gradients, so no model ever branches on the backend.
    const fixes = applyBackendFixes(TFJS_NAME[name]);
    if (fixes.length) details.fixes = fixes.join('+');
    return { ok: true, details };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0] };
  }
}

function resolveChoice(options: BackendOptions): BackendChoice {
  const fromEnv = options.env?.AML_BACKEND;
  const field = options.backend ? 'backend' : fromEnv ? 'AML_BACKEND' : 'backend';
  return parseBackendChoice(options.backend ?? fromEnv ?? 'auto', field);
}

/**
 * Pick and initialise the backend. Call once at program start (tests and apps do).
 * In Node a named `node-gpu` must really see a GPU; in 'auto' mode a GPU-less tfjs-node-gpu is
 * skipped with the reason and its libtensorflow runs as `node`.
 *
 * @example
 *   const info = await initBackend({ env: process.env });  // auto, or AML_BACKEND=cpu
 *   const info = await initBackend({ backend: 'wasm' });   // throws if wasm cannot start
 *   await initBackend({ wasmPaths: '/assets/tfjs-wasm/' }); // in a page: webgpu, webgl, wasm, cpu
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const choice = resolveChoice(options);
  const platform = options.platform ?? detectPlatform();
  const log = options.quiet ? () => undefined : (options.log ?? ((l: string) => console.error(l)));
  const order: readonly BackendName[] = choice === 'auto' ? AUTO_ORDER[platform] : [choice];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of order) {
    const r = await attempt(name, options);
    if (r.ok) {
      const details: Record<string, string | number | boolean> = { ...r.details };
      if (name === 'wasm') {
        details.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        details.threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
      }
      current = { name, tfjsName: TFJS_NAME[name], platform, skipped, details };
      log(formatReport(current));
      return current;
    }
    skipped.push({ name, reason: r.reason });
  }
  if (choice !== 'auto') {
    throw new Error(
      `backend '${choice}' is not available: ${skipped[0].reason}. ` +
        `Install it, or choose another with the backend option or AML_BACKEND (auto, ${BACKEND_NAMES.join(', ')}).`,
    );
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** The one-line report, the same in Node and in a browser: `[aml] backend: wasm [simd=true, ...] (skipped: ...)`. */
export function formatReport(info: BackendInfo): string {
  const parts = Object.entries(info.details).map(([k, v]) => `${k}=${v}`);
  const details = parts.length ? ` [${parts.join(', ')}]` : '';
  const why = info.skipped.length ? ` (skipped: ${info.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : '';
  return `[aml] backend: ${info.name}${details}${why}`;
}

/**
 * The cpu backend prints a multi-line advert for tfjs-node on its first tensor. We already report
 * the backend and why native ones were skipped, so mark that first use as done; other tfjs warnings stay.
 */
function silenceCpuAdvert(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

/** The backend chosen by the last `initBackend`, or undefined before it ran. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

/**
 * Fail clearly when a kernel a model needs is missing on the running backend,
 * rather than letting tfjs fall over mid-training (or silently use a slow path).
 */
export function requireKernels(kernels: readonly string[], what: string): void {
  const backend = tf.getBackend();
  const missing = kernels.filter((k) => !tf.getKernel(k, backend));
  if (missing.length) {
    throw new Error(
      `${what} needs kernel(s) ${missing.join(', ')}, which backend '${backend}' does not have; ` +
        `use another backend (backend: 'cpu') or a model that avoids them`,
    );
  }
}

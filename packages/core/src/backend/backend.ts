/**
 * Backend choice: one call (`initBackend`) picks the fastest backend that works here,
 * says which one runs and why the others were skipped, and fails clearly when a
 * backend the user named cannot be used.
 *
 * Auto order: node-gpu (libtensorflow + CUDA), node (libtensorflow CPU), wasm (SIMD), cpu (pure JS).
 */
import { tf } from '../tf';
import { z } from 'zod';
import { registerWasmFixes } from './fixes/wasmKernels';
import { registerConvGradients } from './fixes/convGradients';

export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendChoice = BackendName | 'auto';

/** The tfjs registry name each of our backends registers under. */
const TFJS_NAME: Record<BackendName, string> = {
  'node-gpu': 'tensorflow',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

export interface BackendOptions {
  /** Backend to use; 'auto' tries node-gpu, node, wasm, cpu in order. Overrides the environment. */
  readonly backend?: BackendChoice;
  /** Environment to read `AML_BACKEND` from when `backend` is not given (default: process.env). */
  readonly env?: Record<string, string | undefined>;
  /** Where to send the one-line report (default: console.error, so stdout stays clean for data). */
  readonly log?: (line: string) => void;
  /** Silence the report entirely. */
  readonly quiet?: boolean;
}

export interface BackendInfo {
  /** Our name for the backend that runs. */
  readonly name: BackendName;
  /** tfjs's registry name (`tensorflow`, `wasm`, `cpu`). */
  readonly tfjsName: string;
  /** Why each backend tried before it was skipped. */
  readonly skipped: ReadonlyArray<{ readonly name: BackendName; readonly reason: string }>;
  /** Extra facts (WASM SIMD / threads). */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

const choiceSchema = z.enum(['auto', ...BACKEND_NAMES]);

let current: BackendInfo | undefined;

/** Parse a user's backend choice, with a message naming the field and the valid values. */
export function parseBackendChoice(value: unknown, field = 'backend'): BackendChoice {
  const r = choiceSchema.safeParse(value);
  if (!r.success) {
    throw new Error(
      `${field}: unknown backend ${JSON.stringify(value)}; use one of auto, ${BACKEND_NAMES.join(', ')}`,
    );
  }
  return r.data;
}

type Attempt = { ok: true } | { ok: false; reason: string };

function tryRequire(mod: string): Attempt {
  try {
    // Native bindings throw at load time when their install script did not run.
    require(mod);
    return { ok: true };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && msg.includes(mod);
    return { ok: false, reason: missing ? `${mod} is not installed` : `${mod} failed to load: ${msg}` };
  }
}

async function attempt(name: BackendName): Promise<Attempt> {
  if (name === 'node-gpu' || name === 'node') {
    const mod = name === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
    const r = tryRequire(mod);
    if (!r.ok) return r;
  } else if (name === 'wasm') {
    const r = tryRequire('@tensorflow/tfjs-backend-wasm');
    if (!r.ok) return r;
  }
  try {
    const ok = await tf.setBackend(TFJS_NAME[name]);
    if (!ok) return { ok: false, reason: `tf.setBackend('${TFJS_NAME[name]}') returned false` };
    await tf.ready();
    if (name === 'cpu') silenceCpuAdvert();
    // Fixes are registered kernels and gradients, so no model ever branches on the backend.
    registerConvGradients();
    if (name === 'wasm') registerWasmFixes();
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0] };
  }
}

/**
 * Pick and initialise the backend. Call once at program start (tests and apps do).
 *
 * @example
 *   const info = await initBackend();              // auto, or AML_BACKEND=cpu
 *   const info = await initBackend({ backend: 'wasm' }); // throws if wasm cannot start
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const fromEnv = env.AML_BACKEND;
  const choice = parseBackendChoice(options.backend ?? fromEnv ?? 'auto', options.backend ? 'backend' : fromEnv ? 'AML_BACKEND' : 'backend');
  const log = options.quiet ? () => undefined : (options.log ?? ((l: string) => console.error(l)));

  const order: BackendName[] = choice === 'auto' ? [...BACKEND_NAMES] : [choice];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of order) {
    const r = await attempt(name);
    if (r.ok) {
      const details: Record<string, string | number | boolean> = {};
      if (name === 'wasm') {
        details.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        details.threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
      }
      current = { name, tfjsName: TFJS_NAME[name], skipped, details };
      const why = skipped.length ? ` (skipped: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : '';
      log(`[aml] backend: ${name}${formatDetails(details)}${why}`);
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

/**
 * The cpu backend prints a multi-line advert for tfjs-node on its first tensor. We already report
 * the backend and why native ones were skipped, so mark that first use as done; other tfjs warnings stay.
 */
function silenceCpuAdvert(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

function formatDetails(d: Record<string, string | number | boolean>): string {
  const parts = Object.entries(d).map(([k, v]) => `${k}=${v}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
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
        `use another backend (AML_BACKEND=cpu) or a model that avoids them`,
    );
  }
}

/**
 * Which backend fixes apply to which backend. A fix is installed when its backend starts and, if it
 * replaces something every backend shares (a gradient), the original is put back when another
 * backend starts: a workaround for WASM must never replace a native backend's own gradient
 * (cuDNN's on tfjs-node-gpu, WebGL's in a browser).
 */
import { registerWasmFixes } from './wasmKernels';
import { installConvGradients, restoreConvGradients } from './convGradients';

/** One registered fix: the tfjs backend names it serves, and how to install and remove it. */
export interface BackendFix {
  /** Short name shown in reports and tests. */
  readonly name: string;
  /** tfjs registry names (`wasm`, `cpu`, `webgl`, `tensorflow`, ...) this fix is for. */
  readonly backends: readonly string[];
  /** Install the fix (idempotent). */
  readonly install: () => void;
  /** Undo a fix that is global to every backend (gradients); kernel fixes need none. */
  readonly remove?: () => void;
}

/**
 * The fixes, in install order. Only wasm lacks `Conv2DBackpropFilter`; cpu, webgl, webgpu and
 * libtensorflow keep tfjs's own convolution gradients.
 */
export const BACKEND_FIXES: readonly BackendFix[] = [
  { name: 'wasm-kernels', backends: ['wasm'], install: registerWasmFixes },
  {
    name: 'conv2d-filter-gradient',
    backends: ['wasm'],
    install: installConvGradients,
    remove: restoreConvGradients,
  },
];

/** Names of the fixes registered for a tfjs backend name, e.g. `fixesFor('wasm')`. */
export function fixesFor(tfjsName: string): string[] {
  return BACKEND_FIXES.filter((f) => f.backends.includes(tfjsName)).map((f) => f.name);
}

/**
 * Install the fixes of the backend that now runs and remove the global ones of any other backend.
 * Called by `initBackend` after `tf.setBackend`; returns the names installed.
 */
export function applyBackendFixes(tfjsName: string): string[] {
  const installed: string[] = [];
  for (const fix of BACKEND_FIXES) {
    if (fix.backends.includes(tfjsName)) {
      fix.install();
      installed.push(fix.name);
    } else {
      fix.remove?.();
    }
  }
  return installed;
}

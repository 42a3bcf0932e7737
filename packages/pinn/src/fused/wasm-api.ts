/**
 * The part of the WebAssembly JS API the kernel host uses, typed locally: the project's
 * tsconfig has no DOM lib (where TypeScript declares WebAssembly), and a global
 * declaration here could clash with a consumer that has it.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's WebAssembly namespace. */
export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Loading h5wasm (the HDF5 C library compiled to WebAssembly) from CommonJS: the package exports only ES
 * modules, which `require` cannot load in Node 20 and jest's sandbox cannot `import()`. Its self-contained
 * browser bundle (wasm inlined) is evaluated instead; files go through its in-memory file system, so nothing
 * is fetched or written to disk.
 */
import { fs, path } from '../platform/node-modules'; // loaded on use: this module bundles for a browser

/** The parts of h5wasm's API used here. */
export interface H5Node {
  readonly type: string;
  readonly attrs: Record<string, { readonly value: unknown }>;
}
/** An HDF5 group (or the file itself). */
export interface H5Group extends H5Node {
  keys(): string[];
  get(name: string): H5Node | null;
}
/** An HDF5 dataset. */
export interface H5Dataset extends H5Node {
  readonly shape: number[] | null;
  readonly dtype: unknown;
  readonly value: unknown;
}
/** An open HDF5 file. */
export interface H5File extends H5Group {
  close(): void;
}
/** The module: a File constructor and the in-memory file system. */
export interface H5Wasm {
  File: new (name: string, mode: 'r' | 'w') => H5File;
  FS: {
    writeFile(name: string, data: Uint8Array): void;
    readFile(name: string): Uint8Array;
    unlink(name: string): void;
  };
}

function bundlePath(): string {
  for (const dir of require.resolve.paths('h5wasm') ?? []) {
    const f = path.join(dir, 'h5wasm', 'dist', 'iife', 'h5wasm.js');
    if (fs.existsSync(f)) return f;
  }
  throw new Error(
    'h5wasm is not installed (no h5wasm/dist/iife/h5wasm.js in node_modules); it is a dependency of @aml/data: run npm install',
  );
}

let loading: Promise<H5Wasm> | undefined;

/** h5wasm, loaded once per process (about 0.3 s). */
export function loadH5wasm(): Promise<H5Wasm> {
  loading ??= (async () => {
    const text = fs.readFileSync(bundlePath(), 'utf8');
    // The bundle declares `var h5wasm = ...`; evaluate it in a function scope and hand the module back.
    const mod = new Function(`${text}\nreturn h5wasm;`)() as {
      ready: Promise<{ FS: H5Wasm['FS'] }>;
      File: H5Wasm['File'];
    };
    const { FS } = await mod.ready;
    return { File: mod.File, FS };
  })();
  return loading;
}

/**
 * @aml/data/node: the functions that read and write files, for Node programs.
 * The main entry `@aml/data` exports the same functions (they load `node:fs` only when called, so
 * it bundles for a browser); importing them from here says in the code that a file system is needed.
 *
 * @example
 *   import { readCsv, writeNpz } from '@aml/data/node';
 *   const table = readCsv('data/iris.csv');
 *
 * @module @aml/data/node
 */
export { readCsv, readText } from './csv/read';
export { loadCsv } from './csv/load';
export { streamCsv } from './csv/stream';
export { writeCsv } from './csv/write';
export { readJson, writeJson, readJsonTable } from './json/json';
export { readNpy, writeNpy, readNpyRows } from './npy/npy';
export { readNpz, writeNpz } from './npz/npz';
export { readMat } from './mat/v5-read';
export { writeMat } from './mat/v5-write';
export { readHdf5 } from './hdf5/hdf5';
export { readMatFile } from './hdf5/mat73';
export { readIdx, writeIdx, readIdxRows } from './idx/idx';
export { readArrays } from './arrays/arrays';

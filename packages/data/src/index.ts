/**
 * @aml/data: reading and writing data files (CSV, JSON, NumPy .npy, IDX), typed tables with located
 * errors, preparation (scaling, encoding, imputation, splits, folds, windows) and seeded generators.
 * Public surface of the package.
 *
 * @module @aml/data
 */
export * from './table/errors';
export * from './table/table';
export * from './csv/cells';
export * from './csv/detect';
export * from './csv/options';
export { parseCsv, readCsv } from './csv/read';
export * from './csv/stream';
export { loadCsv } from './csv/load';
export * from './csv/write';
export * from './json/json';
export * from './npy/dtypes';
export * from './npy/npy';
export { parseZip, formatZip, type ZipMember, type ZipWriteOptions } from './zip/zip';
export * from './mat/types';
export { parseMat, readMat, isMat73 } from './mat/v5-read';
export { formatMat, writeMat, type MatInput, type MatWriteOptions } from './mat/v5-write';
export { matArrays } from './mat/flatten';
export { readHdf5, isHdf5 } from './hdf5/hdf5';
export { readMatFile, parseMat73 } from './hdf5/mat73';
export { readArrays, describeArrays, ARRAY_FILE_EXTENSIONS } from './arrays/arrays';
export {
  parseNpz,
  readNpz,
  formatNpz,
  writeNpz,
  type NpzArrays,
  type ArrayInput,
  type NpzWriteOptions,
} from './npz/npz';
export * from './idx/idx';
export * from './prep/scalers';
export * from './prep/encode';
export * from './prep/impute';
export * from './prep/split';
export * from './prep/windows';
export * from './prep/preprocessor';
export * from './generators/ode';
export * from './generators/toy2d';
export * from './generators/shapes';
export * from './generators/graphs';
export * from './generators/tabular';
export * from './generators/ising';

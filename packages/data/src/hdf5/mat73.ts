/**
 * MAT-files 7.3 (`save -v7.3`): HDF5 with a 512-byte user block. MATLAB writes each column-major array as a
 * C-order dataset of the reversed shape and names its class in a `MATLAB_class` attribute; structs are
 * groups. Read here back to MATLAB's shape in C order, like the level-5 reader.
 */
import { fs } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import { DataError } from '../table/errors';
import { allocate, type NdArray } from '../npy/dtypes';
import { columnMajorIndex, type MatValue, type MatVariables } from '../mat/types';
import { parseMat, isMat73 } from '../mat/v5-read';
import { datasetArray, withHdf5 } from './hdf5';
import type { H5Dataset, H5Group, H5Node } from './h5wasm';

const classOf = (n: H5Node): string => {
  const v = n.attrs?.MATLAB_class?.value;
  return typeof v === 'string' ? v : '';
};

/** HDF5 data of shape reversed(S) in C order is MATLAB's column-major data of shape S: put it in C order over S. */
function untranspose(a: NdArray): NdArray {
  const shape = [...a.shape].reverse();
  if (shape.length < 2) shape.push(1);
  const idx = columnMajorIndex(shape);
  const out = allocate(a.dtype, idx.length);
  for (let c = 0; c < idx.length; c++) (out as unknown as unknown[])[c] = (a.data as unknown as unknown[])[idx[c]];
  return { dtype: a.dtype, shape, data: out };
}

function value(node: H5Node, label: string): MatValue {
  const cls = classOf(node);
  if (node.type === 'Group') {
    if (cls !== 'struct' && cls !== '')
      throw new DataError(
        { file: label },
        `a group of MATLAB class '${cls}' cannot be read`,
        'numeric, logical or char arrays and scalar structs',
      );
    const g = node as H5Group;
    const fields = g.keys().filter((k) => !k.startsWith('#'));
    const rec: Record<string, MatValue> = {};
    for (const f of fields) rec[f] = value(g.get(f)!, `${label.slice(0, -1)}.${f}]`);
    return { kind: 'struct', shape: [1, 1], fields, elements: [rec] };
  }
  const d = node as H5Dataset;
  if (cls === 'cell')
    throw new DataError(
      { file: label },
      'cell arrays in a MAT-file 7.3 are not read',
      'numeric arrays; save the cells as separate variables, or with save -v7',
    );
  if (d.attrs?.MATLAB_empty && Number(d.attrs.MATLAB_empty.value) === 1) {
    return { kind: 'numeric', array: { dtype: 'float64', shape: [0, 0], data: new Float64Array(0) }, logical: false };
  }
  const raw = datasetArray(d);
  if (!raw)
    throw new DataError(
      { file: label },
      `a dataset of type ${JSON.stringify(d.dtype)} (class '${cls}') is not numeric`,
      'numeric, logical or char arrays',
    );
  const array = untranspose(raw);
  if (cls === 'char') {
    const [rows = 0, cols = 0] = array.shape;
    const lines = Array.from({ length: rows }, (_, r) =>
      String.fromCharCode(...Array.from({ length: cols }, (_, c) => Number(array.data[r * cols + c]))),
    );
    return { kind: 'char', shape: array.shape, text: lines.join('\n') };
  }
  return { kind: 'numeric', array, logical: cls === 'logical' };
}

/** Decode a MAT-file 7.3 held in memory. */
export function parseMat73(buf: Uint8Array, file = '<mat>'): Promise<MatVariables> {
  return withHdf5(buf, file, (f) => {
    const vars: MatVariables = {};
    for (const k of f.keys()) if (!k.startsWith('#')) vars[k] = value(f.get(k)!, `${file}[${k}]`);
    return vars;
  });
}

/** Read any `.mat` file: level 5 (`-v6`, `-v7`) or 7.3 (HDF5), with MATLAB's shapes and C-order data. */
export async function readMatFile(file: string): Promise<MatVariables> {
  if (!fs.existsSync(file)) throw new DataError({ file }, 'file not found', 'a path to a .mat file');
  const buf = fs.readFileSync(file);
  return isMat73(buf) ? parseMat73(buf, file) : parseMat(buf, file);
}

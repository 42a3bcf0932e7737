/** What a MATLAB file holds, in C (row-major) order with MATLAB's shapes (always at least 2-D). */
import type { NdArray } from '../npy/dtypes';

/** A numeric or logical array: `array.shape` is MATLAB's size, `array.data` is in C order. */
export interface MatNumeric {
  readonly kind: 'numeric';
  readonly array: NdArray;
  /** A MATLAB logical (stored as uint8 0/1). */
  readonly logical: boolean;
}

/** A char array, rows joined by '\n' (a 1xN char array is one line). */
export interface MatChar {
  readonly kind: 'char';
  readonly shape: readonly number[];
  readonly text: string;
}

/** A cell array: `cells` in C order over `shape`. */
export interface MatCell {
  readonly kind: 'cell';
  readonly shape: readonly number[];
  readonly cells: readonly MatValue[];
}

/** A struct array: one record of fields per element, elements in C order over `shape`. */
export interface MatStruct {
  readonly kind: 'struct';
  readonly shape: readonly number[];
  readonly fields: readonly string[];
  readonly elements: readonly Readonly<Record<string, MatValue>>[];
}

/** Any value a MAT-file variable can hold here. */
export type MatValue = MatNumeric | MatChar | MatCell | MatStruct;

/** A MAT-file's variables by name, in file order. */
export type MatVariables = Record<string, MatValue>;

/** Index map from C order to column-major (Fortran) order: `out[c] = src[fIndex[c]]`. */
export function columnMajorIndex(shape: readonly number[]): Int32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const k = shape.length;
  const out = new Int32Array(n);
  const idx = new Array<number>(k).fill(0);
  const stride = new Array<number>(k);
  for (let j = 0, s = 1; j < k; j++) {
    stride[j] = s;
    s *= shape[j];
  }
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += idx[j] * stride[j];
    out[c] = f;
    for (let j = k - 1; j >= 0; j--) {
      // C order: last index fastest
      if (++idx[j] < shape[j]) break;
      idx[j] = 0;
    }
  }
  return out;
}

/** A one-line description of a value: `double (256, 100)`, `struct (1, 1) {a, b}`, `cell (1, 2)`. */
export function describeMatValue(v: MatValue): string {
  const dims = (s: readonly number[]) => `(${s.join(', ')})`;
  if (v.kind === 'numeric') return `${v.logical ? 'logical' : v.array.dtype} ${dims(v.array.shape)}`;
  if (v.kind === 'struct') return `struct ${dims(v.shape)} {${v.fields.join(', ')}}`;
  return `${v.kind} ${dims(v.shape)}`;
}

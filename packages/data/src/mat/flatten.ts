/** Numeric arrays of a MAT-file by path, for code that only wants numbers (struct fields as `s.u`, cells as `c{2}`). */
import type { NdArray } from '../npy/dtypes';
import type { MatValue, MatVariables } from './types';

/**
 * Every numeric or logical array in `vars`, keyed by its MATLAB path: `usol`, `s.u`, `s(2).u` for struct
 * arrays, `c{1}` for cells (1-based, column-major like MATLAB's linear index of a 1xN or Nx1 cell). Char arrays are left out.
 */
export function matArrays(vars: Readonly<MatVariables>): Record<string, NdArray> {
  const out: Record<string, NdArray> = {};
  const walk = (key: string, v: MatValue) => {
    if (v.kind === 'numeric') out[key] = v.array;
    else if (v.kind === 'cell') v.cells.forEach((c, k) => walk(`${key}{${k + 1}}`, c));
    else if (v.kind === 'struct')
      v.elements.forEach((e, k) =>
        v.fields.forEach((f) => walk(`${key}${v.elements.length > 1 ? `(${k + 1})` : ''}.${f}`, e[f])),
      );
  };
  for (const [k, v] of Object.entries(vars)) walk(k, v);
  return out;
}

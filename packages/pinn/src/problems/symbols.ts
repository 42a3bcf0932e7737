/**
 * Named fields of a problem: inputs (x, y, z, t), outputs (u, v), derivative symbols
 * (u_x, u_xx, u_xt, v_y), normal components on boundaries (n_x) and parameters (nu).
 */
import type { tf } from '@aml/core';
import type { DerivativeIndex } from '../derivatives/engine';

/** Named (N, 1) tensors: inputs, outputs, derivatives, normals. Parameters are scalars. */
export type Fields = Readonly<Record<string, tf.Tensor>>;

/** Names of a problem's inputs and outputs. */
export interface FieldNames {
  /** Input coordinate names in column order, e.g. ['x', 't']. */
  readonly inputs: readonly string[];
  /** Output names in column order, e.g. ['u'] or ['u', 'v']. */
  readonly outputs: readonly string[];
}

/** A derivative symbol resolved: output column and derivative index (i <= j). */
export interface ResolvedSymbol {
  readonly symbol: string;
  readonly output: number;
  readonly index: DerivativeIndex;
}

/** Split a suffix like 'xt' or 'x1x2' into input indices (greedy over the input names). */
function splitSuffix(suffix: string, inputs: readonly string[]): number[] | null {
  if (suffix === '') return [];
  const byLength = inputs.map((n, i) => [n, i] as const).sort((a, b) => b[0].length - a[0].length);
  for (const [name, i] of byLength) {
    if (suffix.startsWith(name)) {
      const rest = splitSuffix(suffix.slice(name.length), inputs);
      if (rest) return [i, ...rest];
    }
  }
  return null;
}

/**
 * Resolve an output or derivative symbol: 'u' -> value of u; 'u_xt' -> d2u/dx dt.
 * Returns null when the symbol is not a field of these names (up to second order).
 */
export function resolveSymbol(symbol: string, names: FieldNames): ResolvedSymbol | null {
  const k = names.outputs.indexOf(symbol);
  if (k >= 0) return { symbol, output: k, index: [] };
  for (let o = 0; o < names.outputs.length; o++) {
    const prefix = `${names.outputs[o]}_`;
    if (!symbol.startsWith(prefix)) continue;
    const idx = splitSuffix(symbol.slice(prefix.length), names.inputs);
    if (idx && idx.length >= 1 && idx.length <= 2) return { symbol, output: o, index: [...idx].sort((a, b) => a - b) };
  }
  return null;
}

/** The derivative symbols up to second order, e.g. u_x, u_t, u_xx, u_xt, u_tt for (x, t). */
export function derivativeSymbols(names: FieldNames): string[] {
  const out: string[] = [];
  for (const u of names.outputs) {
    out.push(u);
    names.inputs.forEach((a) => out.push(`${u}_${a}`));
    names.inputs.forEach((a, i) => names.inputs.slice(i).forEach((b) => out.push(`${u}_${a}${b}`)));
  }
  return out;
}

/** Normal-component symbols on boundaries: n_x, n_y, ... */
export function normalSymbols(inputs: readonly string[]): string[] {
  return inputs.map((n) => `n_${n}`);
}

/** A readable list of the symbols a text may use (for error messages). */
export function knownSymbolList(names: FieldNames, parameters: readonly string[], extra: readonly string[] = []): string[] {
  return [...names.inputs, ...derivativeSymbols(names), ...parameters, ...extra];
}

/** Symbol checker: inputs, output/derivative symbols, parameters and extras. */
export function symbolChecker(names: FieldNames, parameters: readonly string[], extra: readonly string[] = []): (s: string) => boolean {
  return (s) => names.inputs.includes(s) || parameters.includes(s) || extra.includes(s) || resolveSymbol(s, names) !== null;
}

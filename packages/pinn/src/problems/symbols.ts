/**
 * Named fields of a problem: inputs (x, y, z, t), outputs (u, v), derivative symbols up to
 * fourth order (u_x, u_xx, u_xt, u_xxx, u_xxxx, u_xxt, v_y), normal components on
 * boundaries (n_x) and parameters (nu).
 */
import type { tf } from '@aml/core';
import { MAX_DERIVATIVE_ORDER, type DerivativeIndex } from '../derivatives/engine';

/** Named (N, 1) tensors: inputs, outputs, derivatives, normals. Parameters are scalars. */
export type Fields = Readonly<Record<string, tf.Tensor>>;

/** Names of a problem's inputs and outputs. */
export interface FieldNames {
  /** Input coordinate names in column order, e.g. ['x', 't']. */
  readonly inputs: readonly string[];
  /** Output names in column order, e.g. ['u'] or ['u', 'v']. */
  readonly outputs: readonly string[];
}

/** A derivative symbol resolved: output column and sorted derivative multi-index. */
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

/** The output and sorted multi-index a derivative symbol spells (u_xxt -> [x, x, t]), of any order, or null. */
function spelledOrder(symbol: string, names: FieldNames): { output: number; index: number[] } | null {
  for (let o = 0; o < names.outputs.length; o++) {
    const prefix = `${names.outputs[o]}_`;
    if (!symbol.startsWith(prefix)) continue;
    const idx = splitSuffix(symbol.slice(prefix.length), names.inputs);
    if (idx && idx.length >= 1) return { output: o, index: idx.sort((a, b) => a - b) };
  }
  return null;
}

/**
 * Resolve an output or derivative symbol: 'u' -> value of u; 'u_xt' -> d2u/dx dt;
 * 'u_xxxx' -> d4u/dx4. Returns null when the symbol is not a field of these names (up to
 * fourth order, the derivative engines' limit).
 */
export function resolveSymbol(symbol: string, names: FieldNames): ResolvedSymbol | null {
  const k = names.outputs.indexOf(symbol);
  if (k >= 0) return { symbol, output: k, index: [] };
  const r = spelledOrder(symbol, names);
  return r && r.index.length <= MAX_DERIVATIVE_ORDER ? { symbol, output: r.output, index: r.index } : null;
}

/** An error message when a symbol spells a derivative above the engines' limit (u_xxxxx), else null. */
export function derivativeOrderError(symbol: string, names: FieldNames): string | null {
  const r = spelledOrder(symbol, names);
  if (!r || r.index.length <= MAX_DERIVATIVE_ORDER) return null;
  return `${symbol} is a derivative of order ${r.index.length}; the derivative engines compute up to order ${MAX_DERIVATIVE_ORDER} (e.g. ${names.outputs[r.output]}_${names.inputs[0].repeat(MAX_DERIVATIVE_ORDER)})`;
}

/** The derivative symbols up to second order, e.g. u_x, u_t, u_xx, u_xt, u_tt for (x, t) (third and fourth are also accepted, not listed). */
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
export function knownSymbolList(
  names: FieldNames,
  parameters: readonly string[],
  extra: readonly string[] = [],
): string[] {
  return [...names.inputs, ...derivativeSymbols(names), ...parameters, ...extra];
}

/** Symbol checker: inputs, output/derivative symbols, parameters and extras. */
export function symbolChecker(
  names: FieldNames,
  parameters: readonly string[],
  extra: readonly string[] = [],
): (s: string) => boolean {
  return (s) => {
    if (names.inputs.includes(s) || parameters.includes(s) || extra.includes(s) || resolveSymbol(s, names) !== null)
      return true;
    const tooHigh = derivativeOrderError(s, names);
    if (tooHigh) throw new Error(tooHigh);
    return false;
  };
}

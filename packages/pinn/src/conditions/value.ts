/** Condition values: a number, a text expression of the inputs and parameters, or a function. */
import { tf } from '@aml/core';
import { tensorAlgebra, type TensorOrNumber } from '../problems/algebras';
import { compileExpression } from '../problems/expression';
import type { Fields } from '../problems/symbols';
import type { FieldNames } from '../problems/symbols';

/** A prescribed value g(x): number, text ("-sin(pi*x)") or function of the inputs (each (N, 1)) returning (N, 1). */
export type Value = number | string | ((x: Readonly<Record<string, tf.Tensor>>) => tf.Tensor);

/** A value compiled against a problem's names. */
export interface CompiledValue {
  /** Input symbols read. */
  readonly symbols: readonly string[];
  evaluate(fields: Fields, params: Readonly<Record<string, tf.Tensor>>): TensorOrNumber;
}

export function compileValue(
  value: Value,
  names: FieldNames,
  parameters: readonly string[],
  what: string,
): CompiledValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${what}: value must be finite, got ${value}`);
    return { symbols: [], evaluate: () => value };
  }
  if (typeof value === 'function') {
    return {
      symbols: names.inputs,
      evaluate: (fields) => value(Object.fromEntries(names.inputs.map((n) => [n, fields[n]]))),
    };
  }
  const c = compileExpression(String(value), [...names.inputs, ...parameters], { what: `${what} value` });
  return {
    symbols: c.symbols.filter((s) => !parameters.includes(s)),
    evaluate: (fields, params) => c.evaluate<TensorOrNumber>(tensorAlgebra, { ...fields, ...params }),
  };
}

/** a - b for a field tensor and a value. */
export function minus(a: tf.Tensor, b: TensorOrNumber): tf.Tensor {
  return typeof b === 'number' && b === 0 ? a : tf.sub(a, b);
}

/** The output name to constrain: given, or the first output; fails naming the outputs. */
export function componentOf(component: string | undefined, names: FieldNames, what: string): string {
  const c = component ?? names.outputs[0];
  if (!names.outputs.includes(c))
    throw new Error(`${what}: unknown component ${c}; outputs are ${names.outputs.join(', ')}`);
  return c;
}

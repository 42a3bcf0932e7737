/**
 * An elementwise Float64Array algebra for @aml/pinn's compiled expressions, so a right-hand side
 * written as text is evaluated on a whole grid at once (one closure walk per RHS call, not per point).
 */
import { numberAlgebra } from '../problems/algebras';
import type { Algebra } from '../problems/expression';

/** A grid of values or a scalar. */
export type ArrayOrNumber = Float64Array | number;

function map2(a: ArrayOrNumber, b: ArrayOrNumber, f: (x: number, y: number) => number): ArrayOrNumber {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const n = typeof a === 'number' ? (b as Float64Array).length : a.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(typeof a === 'number' ? a : a[i], typeof b === 'number' ? b : b[i]);
  return out;
}

/** Elementwise operations on Float64Array (numbers broadcast), with numberAlgebra's semantics. */
export const arrayAlgebra: Algebra<ArrayOrNumber> = {
  constant: (c) => c,
  unary: (fn, a) => (typeof a === 'number' ? numberAlgebra.unary(fn, a) : a.map((v) => numberAlgebra.unary(fn, v))),
  binary: (op, a, b) => map2(a, b, (x, y) => numberAlgebra.binary(op, x, y)),
};

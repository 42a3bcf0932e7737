/**
 * The two number systems compiled expressions run on: float64 numbers (exact solutions,
 * predicates, condition values) and tfjs tensors (residuals, differentiable).
 */
import { tf } from '@aml/core';
import { erf } from './erf';
import type { Algebra, BinaryOp, UnaryFn } from './expression';

/** Equality tolerance for predicates such as x=1 on sampled boundary points. */
export const PREDICATE_TOL = 1e-6;

const NUM_UNARY: Record<UnaryFn, (a: number) => number> = {
  neg: (a) => -a,
  not: (a) => (a ? 0 : 1),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  atan: Math.atan,
  asin: Math.asin,
  acos: Math.acos,
  sign: Math.sign,
  square: (a) => a * a,
  erf,
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  sech: (a) => 1 / Math.cosh(a),
};

const approxEq = (a: number, b: number) => Math.abs(a - b) <= PREDICATE_TOL * (1 + Math.abs(b));

/** float64 algebra; booleans are 1/0 and equality is within PREDICATE_TOL. */
export const numberAlgebra: Algebra<number> = {
  constant: (c) => c,
  unary: (fn, a) => NUM_UNARY[fn](a),
  binary(op: BinaryOp, a: number, b: number): number {
    switch (op) {
      case 'add':
        return a + b;
      case 'subtract':
        return a - b;
      case 'multiply':
        return a * b;
      case 'divide':
        return a / b;
      case 'pow':
        return a ** b;
      case 'equal':
        return approxEq(a, b) ? 1 : 0;
      case 'unequal':
        return approxEq(a, b) ? 0 : 1;
      case 'smaller':
        return a < b && !approxEq(a, b) ? 1 : 0;
      case 'larger':
        return a > b && !approxEq(a, b) ? 1 : 0;
      case 'smallerEq':
        return a <= b || approxEq(a, b) ? 1 : 0;
      case 'largerEq':
        return a >= b || approxEq(a, b) ? 1 : 0;
      case 'and':
        return a && b ? 1 : 0;
      case 'or':
        return a || b ? 1 : 0;
    }
  },
};

/** A tensor or a plain number (constants stay numbers until they meet a tensor). */
export type TensorOrNumber = tf.Tensor | number;

const TF_UNARY: Partial<Record<UnaryFn, (a: tf.Tensor) => tf.Tensor>> = {
  neg: tf.neg,
  sin: tf.sin,
  cos: tf.cos,
  tan: tf.tan,
  exp: tf.exp,
  log: tf.log,
  sqrt: tf.sqrt,
  abs: tf.abs,
  tanh: tf.tanh,
  sinh: tf.sinh,
  cosh: tf.cosh,
  atan: tf.atan,
  asin: tf.asin,
  acos: tf.acos,
  sign: tf.sign,
  square: tf.square,
  erf: tf.erf,
  sigmoid: tf.sigmoid,
  sech: (a) => tf.reciprocal(tf.cosh(a)),
};

/** Differentiable tensor algebra (comparisons are not differentiable and are refused). */
export const tensorAlgebra: Algebra<TensorOrNumber> = {
  constant: (c) => c,
  unary(fn, a) {
    if (typeof a === 'number') return NUM_UNARY[fn](a);
    const f = TF_UNARY[fn];
    if (!f) throw new Error(`${fn} cannot be used in a residual (it is not differentiable)`);
    return f(a);
  },
  binary(op, a, b) {
    if (typeof a === 'number' && typeof b === 'number') return numberAlgebra.binary(op, a, b);
    switch (op) {
      case 'add':
        return tf.add(a, b);
      case 'subtract':
        return tf.sub(a, b);
      case 'multiply':
        return tf.mul(a, b);
      case 'divide':
        return tf.div(a, b);
      case 'pow':
        // Integer powers as products: exact and well-behaved for negative bases.
        if (typeof b === 'number' && b === 2) return tf.square(a as tf.Tensor);
        if (typeof b === 'number' && b === 3) return tf.mul(tf.square(a as tf.Tensor), a as tf.Tensor);
        return tf.pow(a, b);
      default:
        throw new Error(`comparison '${op}' cannot be used in a residual`);
    }
  },
};

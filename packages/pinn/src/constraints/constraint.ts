/**
 * Hard constraints: the network output N is transformed so that conditions hold exactly
 * (Lagaris, Likas & Fotiadis 1998): per output, g = h1(x) + h2(x) N(x), with h1 meeting
 * the conditions and h2 vanishing where they are imposed. h1 and h2 are text (mathjs),
 * differentiated symbolically, so g's input derivatives follow by the product rule:
 *   g_i  = h1_i + h2_i N + h2 N_i
 *   g_ij = h1_ij + h2_ij N + h2_i N_j + h2_j N_i + h2 N_ij
 * Output transforms of the form g = h1 + h2 N (e.g. scaling, a fixed offset) use the same path.
 */
import { mathjs } from '../problems/mathjs';
import { tf } from '@aml/core';
import type { DerivativeIndex } from '../derivatives/engine';
import { tensorAlgebra, type TensorOrNumber } from '../problems/algebras';
import { compileExpression, type Compiled } from '../problems/expression';
import type { FieldNames } from '../problems/symbols';

/** A hard constraint before binding to the problem's names. */
export interface HardConstraint {
  readonly label: string;
  bind(names: FieldNames): BoundConstraint;
}

/** A hard constraint bound to names: which network derivatives a field needs, and the transform. */
export interface BoundConstraint {
  readonly label: string;
  /** Network derivative indices needed to form g's derivative `index`. */
  networkIndices(index: DerivativeIndex): DerivativeIndex[];
  /**
   * g's derivative `index` for output k, from the network's fields.
   * @param nField (index) -> (N, 1) network derivative of output k
   * @param inputs input columns by name, each (N, 1)
   */
  transform(
    k: number,
    index: DerivativeIndex,
    nField: (index: DerivativeIndex) => tf.Tensor,
    inputs: Readonly<Record<string, tf.Tensor>>,
  ): tf.Tensor;
}

type PerOutput = string | Readonly<Record<string, string>>;

/**
 * Lagaris trial solution g = h1 + h2 N for every output (a string applies to the first output,
 * a record gives one expression per output).
 * @example
 *   trialSolution('10', 't')                              // exponential decay g(0) = 10
 *   trialSolution('(1-t)*sin(pi*x)', 'x*(1-x)*t')        // diffusion, u(x,0)=sin(pi x), u(0,t)=u(1,t)=0
 */
export function trialSolution(h1: PerOutput, h2: PerOutput): HardConstraint {
  const label = `g = ${typeof h1 === 'string' ? h1 : JSON.stringify(h1)} + (${typeof h2 === 'string' ? h2 : JSON.stringify(h2)}) N`;
  return {
    label,
    bind(names: FieldNames): BoundConstraint {
      const pick = (h: PerOutput, k: number, def: string) =>
        typeof h === 'string' ? (k === 0 ? h : def) : (h[names.outputs[k]] ?? def);
      if (typeof h1 !== 'string')
        for (const o of Object.keys(h1))
          if (!names.outputs.includes(o))
            throw new Error(`trial solution: unknown output ${o}; outputs are ${names.outputs.join(', ')}`);
      if (typeof h2 !== 'string')
        for (const o of Object.keys(h2))
          if (!names.outputs.includes(o))
            throw new Error(`trial solution: unknown output ${o}; outputs are ${names.outputs.join(', ')}`);
      // Outputs without an expression are unconstrained: g = 0 + 1 * N.
      const texts = names.outputs.map((_, k) => [pick(h1, k, '0'), pick(h2, k, '1')] as const);
      const cache = new Map<string, Compiled>();
      const compiled = (text: string, index: DerivativeIndex, what = 'trial solution'): Compiled => {
        const key = `${text}|${index.join(',')}`;
        let c = cache.get(key);
        if (!c) {
          // The text itself is compiled (and checked) first; derivatives are taken of a text already accepted.
          let src = text;
          if (index.length) {
            const { parse, derivative } = mathjs();
            let node = parse(text);
            for (const i of index) node = derivative(node, names.inputs[i]);
            src = node.toString();
          }
          c = compileExpression(src, names.inputs, { what, knownList: names.inputs });
          cache.set(key, c);
        }
        return c;
      };
      // Fail now on unknown symbols.
      const field = (h: string, k: number) =>
        `constraint.${h}${typeof h1 === 'string' && typeof h2 === 'string' ? '' : ` for ${names.outputs[k]}`}`;
      texts.forEach(([a, b], k) => (compiled(a, [], field('h1', k)), compiled(b, [], field('h2', k))));
      const evalH = (
        text: string,
        index: DerivativeIndex,
        inputs: Readonly<Record<string, tf.Tensor>>,
      ): TensorOrNumber => compiled(text, index).evaluate<TensorOrNumber>(tensorAlgebra, inputs);
      const mul = (a: TensorOrNumber, b: tf.Tensor): tf.Tensor | null =>
        typeof a === 'number' ? (a === 0 ? null : a === 1 ? b : tf.mul(a, b)) : tf.mul(a, b);
      const sum = (terms: (TensorOrNumber | null)[], like: tf.Tensor): tf.Tensor => {
        let acc: tf.Tensor | null = null;
        let c = 0;
        for (const t of terms) {
          if (t === null) continue;
          if (typeof t === 'number') c += t;
          else acc = acc ? tf.add(acc, t) : t;
        }
        if (!acc) return tf.fill(like.shape as [number, number], c);
        return c === 0 ? acc : tf.add(acc, c);
      };
      return {
        label,
        networkIndices(index) {
          if (index.length === 0) return [[]];
          if (index.length === 1) return [[], [index[0]]];
          return [[], [index[0]], [index[1]], index];
        },
        transform(k, index, nField, inputs) {
          const [a, b] = texts[k];
          const N = nField([]);
          const h = (text: string, idx: DerivativeIndex) => evalH(text, idx, inputs);
          if (index.length === 0) return sum([h(a, []), mul(h(b, []), N)], N);
          if (index.length === 1) {
            const i = index[0];
            return sum([h(a, [i]), mul(h(b, [i]), N), mul(h(b, []), nField([i]))], N);
          }
          const [i, j] = index;
          return sum(
            [
              h(a, [i, j]),
              mul(h(b, [i, j]), N),
              mul(h(b, [i]), nField([j])),
              mul(h(b, [j]), nField([i])),
              mul(h(b, []), nField([i, j])),
            ],
            N,
          );
        },
      };
    },
  };
}

/**
 * Checks of an expression's text and tree before it is compiled: size and nesting limits (so a huge
 * or deeply nested text fails with a message instead of overflowing the stack), and sub-expressions
 * that are certainly not finite (division by a literal zero or by `x - x`, `log(0)`, `sqrt(-1)`),
 * which would otherwise only show up as a NaN loss after training started.
 */
import type { MathNode } from 'mathjs';
import { mathjs } from './mathjs';

/** Longest expression text accepted, characters. */
export const MAX_EXPRESSION_LENGTH = 5000;
/** Deepest nesting accepted: brackets in the text, and levels of the parsed tree. */
export const MAX_EXPRESSION_DEPTH = 100;

/** Throw when `text` is longer or more deeply bracketed than the limits (checked before parsing). */
export function checkExpressionSize(text: string, what: string): void {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new Error(
      `${what}: the expression has ${text.length} characters, more than the limit of ${MAX_EXPRESSION_LENGTH}; shorten it (parameters can name repeated parts)`,
    );
  }
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']') depth--;
  }
  if (max > MAX_EXPRESSION_DEPTH) {
    throw new Error(
      `${what}: brackets are nested ${max} levels deep, more than the limit of ${MAX_EXPRESSION_DEPTH}; simplify the expression`,
    );
  }
}

/** Depth of a parsed tree, without recursion. */
function treeDepth(root: MathNode): number {
  let max = 0;
  const stack: [MathNode, number][] = [[root, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    n.forEach((child) => stack.push([child, d + 1]));
  }
  return max;
}

/** Throw when the parsed tree is deeper than the limit (long chains such as x+x+...+x). */
export function checkTreeDepth(tree: MathNode, what: string): void {
  const d = treeDepth(tree);
  if (d > 4 * MAX_EXPRESSION_DEPTH) {
    throw new Error(
      `${what}: the expression is ${d} operations deep, more than the limit of ${4 * MAX_EXPRESSION_DEPTH}; shorten it`,
    );
  }
}

/** True when `n` reads a variable (a symbol that is not a constant such as pi nor a function's name). */
function hasSymbols(n: MathNode, isConstant: (name: string) => boolean): boolean {
  let found = false;
  n.traverse((m, path) => {
    if (m.type === 'SymbolNode' && path !== 'fn' && !isConstant((m as unknown as { name: string }).name)) found = true;
  });
  return found;
}

/** The value of a constant sub-tree in float64, or undefined when mathjs cannot evaluate it (e.g. sigmoid). */
function constantValue(n: MathNode): number | undefined {
  try {
    const v = n.evaluate({}) as unknown;
    if (typeof v === 'number') return v;
    return NaN; // a complex or other non-real result (sqrt(-1)) is not a real number either
  } catch {
    return undefined;
  }
}

/** Text of a node, short. */
const show = (n: MathNode) => {
  const t = n.toString();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
};

/**
 * Throw when a sub-expression is certainly not finite: a constant part that evaluates to NaN or
 * ±Infinity, or a division whose denominator simplifies to exactly 0 (`u_xx/(x - x)`).
 * `isConstant` tells which symbols are constants (pi, e).
 */
export function checkFinite(tree: MathNode, what: string, text: string, isConstant: (name: string) => boolean): void {
  const fail = (why: string) => {
    throw new Error(
      `${what} "${text}": ${why}; the loss would be NaN or infinite from the first step. Fix that part of the expression`,
    );
  };
  tree.traverse((node) => {
    if (node.type === 'SymbolNode' || node.type === 'ConstantNode') return;
    if (!hasSymbols(node, isConstant)) {
      const v = constantValue(node);
      if (v !== undefined && !Number.isFinite(v))
        fail(`"${show(node)}" is ${Number.isNaN(v) ? 'not a real number' : v}`);
      return;
    }
    const op = node as unknown as { type: string; fn?: string; args?: MathNode[] };
    if (node.type === 'OperatorNode' && op.fn === 'divide' && op.args) {
      const den = op.args[1];
      let s: MathNode | undefined;
      try {
        s = mathjs().simplify(den);
      } catch {
        s = undefined;
      }
      if (s && s.type === 'ConstantNode' && (s as unknown as { value: unknown }).value === 0) {
        fail(`division by zero: the denominator "${show(den)}" is always 0`);
      }
    }
  });
}

/**
 * Throw unless `name` can name an input, output or parameter: letters, digits and _ starting with a
 * letter, and none of the names every JavaScript object has (constructor, toString, valueOf, __proto__ ...),
 * which lookups in plain objects would confuse with the real field.
 */
export function checkFieldName(name: string, field: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(
      `${field}: '${name}' is not a valid name; use letters, digits and _, starting with a letter (e.g. u, x1, nu)`,
    );
  }
  if (name in Object.prototype) {
    throw new Error(
      `${field}: '${name}' is a reserved name (every JavaScript object has a member called so); rename it, e.g. ${name}1`,
    );
  }
}

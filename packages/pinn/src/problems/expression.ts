/**
 * Text expressions ("u_t + u*u_x - (0.01/pi)*u_xx", "-sin(pi*x)", "x=-1 | x=1") parsed
 * with mathjs into a tree and compiled once into a closure over an `Algebra`: tensor
 * operations for residuals, float64 numbers for exact solutions and predicates. The text
 * is never evaluated as code; only the operators and functions listed here are allowed,
 * and every symbol must be known (the error names the unknown ones and lists the known).
 */
import type { MathNode } from 'mathjs';
import { checkExpressionSize, checkFinite, checkTreeDepth } from './expression-checks';
import { mathjs } from './mathjs';

/** The operations a compiled expression needs from its number system. */
export interface Algebra<T> {
  constant(c: number): T;
  binary(op: BinaryOp, a: T, b: T): T;
  unary(fn: UnaryFn, a: T): T;
}

export const BINARY_OPS = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'equal',
  'unequal',
  'smaller',
  'larger',
  'smallerEq',
  'largerEq',
  'and',
  'or',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];
export const UNARY_FNS = [
  'neg',
  'not',
  'sin',
  'cos',
  'tan',
  'exp',
  'log',
  'sqrt',
  'abs',
  'tanh',
  'sinh',
  'cosh',
  'atan',
  'asin',
  'acos',
  'sign',
  'square',
  'erf',
  'sigmoid',
  'sech',
] as const;
export type UnaryFn = (typeof UNARY_FNS)[number];

/** Constants every expression may use (a null-prototype table: `constructor` or `__proto__` are not constants). */
export const CONSTANTS: Readonly<Record<string, number>> = Object.assign(
  Object.create(null) as Record<string, number>,
  { pi: Math.PI, e: Math.E },
);

/** True when `name` is one of CONSTANTS (own entries only, never Object.prototype's). */
export const isConstantName = (name: string): boolean => Object.hasOwn(CONSTANTS, name);

const OPERATOR_MAP: Record<string, BinaryOp | 'neg' | 'pos' | 'not'> = Object.assign(
  Object.create(null) as Record<string, never>,
  {
    add: 'add',
    subtract: 'subtract',
    multiply: 'multiply',
    divide: 'divide',
    pow: 'pow',
    dotMultiply: 'multiply',
    dotDivide: 'divide',
    dotPow: 'pow',
    equal: 'equal',
    unequal: 'unequal',
    smaller: 'smaller',
    larger: 'larger',
    smallerEq: 'smallerEq',
    largerEq: 'largerEq',
    and: 'and',
    or: 'or',
    bitOr: 'or',
    bitAnd: 'and',
    unaryMinus: 'neg',
    unaryPlus: 'pos',
    not: 'not',
  } as const,
);

/** A compiled expression: the symbols it reads and a function of their values. */
export interface Compiled {
  /** The original text. */
  readonly text: string;
  /** Symbols used (constants such as pi excluded), in order of first use. */
  readonly symbols: readonly string[];
  /** Evaluate with the given algebra and symbol values. */
  evaluate<T>(algebra: Algebra<T>, env: Readonly<Record<string, T>>): T;
}

/**
 * Rewrite conventions before parsing: an equation `lhs = rhs` becomes `(lhs) - (rhs)`
 * (mode 'expression'); in predicates a single `=` means equality (mode 'predicate').
 */
export function normalizeText(text: string, mode: 'expression' | 'predicate'): string {
  const single = /(?<![<>=!])=(?!=)/g;
  if (mode === 'predicate') return text.replace(single, '==');
  const parts = text.split(single);
  if (parts.length === 2) return `(${parts[0]}) - (${parts[1]})`;
  if (parts.length > 2) throw new Error(`expression "${text}": more than one '=' sign`);
  return text;
}

type Node = (env: Record<string, unknown>, alg: Algebra<unknown>) => unknown;

/**
 * Parse and compile `text`. `known` lists the symbols that may appear (inputs, outputs,
 * derivative symbols, parameters); `describeKnown` adds context to the error message.
 *
 * @example
 *   const c = compileExpression('u_t + u*u_x - nu*u_xx', ['u', 'u_t', 'u_x', 'u_xx', 'nu']);
 *   const r = c.evaluate(tensorAlgebra, { u, u_t, u_x, u_xx, nu }); // (N, 1)
 */
export function compileExpression(
  text: string,
  known: readonly string[] | ((s: string) => boolean),
  opts: { mode?: 'expression' | 'predicate'; what?: string; knownList?: readonly string[] } = {},
): Compiled {
  const what = opts.what ?? 'expression';
  if (typeof text !== 'string' || text.trim() === '') throw new Error(`${what}: the text is empty`);
  checkExpressionSize(text, what);
  let tree: MathNode;
  try {
    tree = mathjs().parse(normalizeText(text, opts.mode ?? 'expression'));
  } catch (e) {
    throw new Error(`${what} "${text}" does not parse: ${(e as Error).message}`);
  }
  checkTreeDepth(tree, what);
  const isKnown = typeof known === 'function' ? known : (s: string) => known.includes(s);
  const symbols: string[] = [];
  const unknown: string[] = [];
  const compileNode = (node: MathNode): Node => {
    switch (node.type) {
      case 'ConstantNode': {
        const v = (node as unknown as { value: unknown }).value;
        if (typeof v !== 'number')
          throw new Error(`${what} "${text}": only numeric constants are allowed, got ${JSON.stringify(v)}`);
        return (_env, alg) => alg.constant(v);
      }
      case 'SymbolNode': {
        const name = (node as unknown as { name: string }).name;
        if (isConstantName(name) && !isKnown(name)) {
          const c = CONSTANTS[name];
          return (_env, alg) => alg.constant(c);
        }
        if (!isKnown(name)) {
          if (!unknown.includes(name)) unknown.push(name);
        } else if (!symbols.includes(name)) symbols.push(name);
        return (env) => {
          // own entries only: an environment never lends Object.prototype's members (toString, constructor)
          const v = Object.hasOwn(env, name) ? env[name] : undefined;
          if (v === undefined) throw new Error(`${what} "${text}": no value for symbol ${name}`);
          return v;
        };
      }
      case 'ParenthesisNode':
        return compileNode((node as unknown as { content: MathNode }).content);
      case 'OperatorNode': {
        const op = node as unknown as { fn: string; op: string; args: MathNode[] };
        const mapped = OPERATOR_MAP[op.fn];
        if (!mapped) throw new Error(`${what} "${text}": operator '${op.op}' is not supported`);
        const args = op.args.map(compileNode);
        if (mapped === 'pos') return args[0];
        if (mapped === 'neg' || mapped === 'not') return (env, alg) => alg.unary(mapped, args[0](env, alg));
        if (args.length !== 2) throw new Error(`${what} "${text}": operator '${op.op}' needs two operands`);
        // mathjs folds a+b+c into one n-ary node only for some forms; handle binary.
        return (env, alg) => alg.binary(mapped, args[0](env, alg), args[1](env, alg));
      }
      case 'FunctionNode': {
        const f = node as unknown as { fn: { name: string }; args: MathNode[] };
        const name = f.fn.name === 'ln' ? 'log' : f.fn.name;
        if (!(UNARY_FNS as readonly string[]).includes(name) || name === 'neg' || name === 'not') {
          throw new Error(
            `${what} "${text}": unknown function ${f.fn.name}(); use one of ${UNARY_FNS.filter((u) => u !== 'neg' && u !== 'not').join(', ')}`,
          );
        }
        if (f.args.length !== 1)
          throw new Error(`${what} "${text}": ${name}() takes one argument, got ${f.args.length}`);
        const arg = compileNode(f.args[0]);
        return (env, alg) => alg.unary(name as UnaryFn, arg(env, alg));
      }
      default:
        throw new Error(
          `${what} "${text}": ${node.type} is not allowed (use numbers, symbols, + - * / ^, comparisons and functions)`,
        );
    }
  };
  const root = compileNode(tree);
  if (unknown.length > 0) {
    const list = opts.knownList ?? (typeof known === 'function' ? [] : known);
    throw new Error(
      `${what} "${text}": unknown symbol${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` +
        (list.length ? `; known symbols are ${list.join(', ')} (and the constants pi, e)` : ''),
    );
  }
  checkFinite(tree, what, text, (n) => isConstantName(n) && !isKnown(n));
  return {
    text,
    symbols,
    evaluate<T>(algebra: Algebra<T>, env: Readonly<Record<string, T>>): T {
      return root(env as Record<string, unknown>, algebra as Algebra<unknown>) as T;
    },
  };
}

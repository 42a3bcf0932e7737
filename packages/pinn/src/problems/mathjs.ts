/**
 * The part of mathjs that expressions use, created on first use: `parse`, `derivative`, `simplify`, and
 * every operator, function and constant an accepted expression may contain (so evaluating a constant
 * sub-tree and simplifying a denominator work as with the whole library).
 *
 * In Node it is built with mathjs's own `create` from the factories of just those functions, which
 * loads 184 of its files: about 0.12 s of CPU instead of 1 s for `require('mathjs')`, which
 * every `pde-lab run` would pay (a sweep starts one process per run). A bundler (a page) gets the whole
 * library, as does Node if mathjs's files are not where this version keeps them.
 */
import type { MathJsInstance } from 'mathjs';
import { fs, inNode } from '../platform/node-modules';

/** What the expressions need from mathjs. */
export type MathJs = Pick<MathJsInstance, 'parse' | 'derivative' | 'simplify'>;

/**
 * The mathjs functions the slim instance holds. Operators are what mathjs's parser turns `+ - * / ^ ==
 * != < > <= >= and or | & not` and unary signs into; functions and constants are the ones an expression
 * may use (see UNARY_FNS and CONSTANTS in expression.ts; `sigmoid` is not a mathjs function).
 */
export const MATHJS_FUNCTIONS = [
  'parse',
  'derivative',
  'simplify',
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'dotMultiply',
  'dotDivide',
  'dotPow',
  'equal',
  'unequal',
  'smaller',
  'larger',
  'smallerEq',
  'largerEq',
  'and',
  'or',
  'bitOr',
  'bitAnd',
  // how the parser evaluates these four (short-circuit)
  'andTransform',
  'orTransform',
  'bitAndTransform',
  'bitOrTransform',
  'unaryMinus',
  'unaryPlus',
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
  'sech',
  'pi',
  'e',
] as const;

// Held in a variable so bundlers leave this require alone (a page takes the whole library instead).
const MATHJS_PACKAGE = 'mathjs/package.json';
/** Names `create` itself provides to the factories. */
const PROVIDED = new Set(['config', 'on', 'math', 'mathWithTransform']);

let instance: MathJs | undefined;
let built: 'factories' | 'whole' | undefined;

/** A mathjs factory: a function with the names of what it needs. */
type Factory = ((deps: Record<string, unknown>) => unknown) & {
  dependencies?: readonly string[];
  meta?: { isTransformFunction?: boolean };
};

/**
 * The factories `names` need, with everything they depend on (optional `?` dependencies too, as the
 * generated `...Dependencies` sets of mathjs hold them), each required from its own file. mathjs's
 * index of factories (`factoriesAny.js`) names the file of each; requiring that index itself would
 * load all of them.
 * @returns `{ createAdd: ..., createMatrixClass: ... }`, what `create` takes.
 */
export function factoriesFor(names: readonly string[]): Record<string, Factory> {
  const pkg = require.resolve(MATHJS_PACKAGE);
  const lib = `${pkg.slice(0, pkg.length - 'package.json'.length)}lib/cjs/`;
  const index = fs.readFileSync(`${lib}factoriesAny.js`, 'utf8');
  const fileOfVar = new Map([...index.matchAll(/var (\w+) = require\("\.\/([^"]+)"\);/g)].map((m) => [m[1], m[2]]));
  const fileOf = new Map([...index.matchAll(/return (\w+)\.(create\w+);/g)].map((m) => [m[2], fileOfVar.get(m[1])]));
  const factories: Record<string, Factory> = {};
  const todo = [...names];
  while (todo.length) {
    const name = todo.pop()!.replace(/^\?/, '');
    if (PROVIDED.has(name)) continue;
    // a class (Matrix, Complex) is createMatrixClass, next to the function matrix's createMatrix
    const key =
      /^[A-Z]/.test(name) && fileOf.has(`create${name}Class`)
        ? `create${name}Class`
        : `create${name[0].toUpperCase()}${name.slice(1)}`;
    if (factories[key]) continue;
    const file = fileOf.get(key);
    if (!file) throw new Error(`mathjs: no factory for ${name} in ${lib}factoriesAny.js`);
    const factory = (require(`${lib}${file}`) as Record<string, Factory | undefined>)[key];
    if (typeof factory !== 'function') throw new Error(`mathjs: ${lib}${file} has no ${key}`);
    factories[key] = factory;
    todo.push(...(factory.dependencies ?? []));
  }
  // `create` must meet a function before its transform (the parser's short-circuit `and`), as in mathjs's own order
  const last = (f: Factory) => (f.meta?.isTransformFunction ? 1 : 0);
  return Object.fromEntries(Object.entries(factories).sort(([, a], [, b]) => last(a) - last(b)));
}

/** mathjs's `create` over the factories of MATHJS_FUNCTIONS (Node only). */
function fromFactories(): MathJs {
  const pkg = require.resolve(MATHJS_PACKAGE);
  const lib = `${pkg.slice(0, pkg.length - 'package.json'.length)}lib/cjs/`;
  const { create } = require(`${lib}core/create.js`) as { create(factories: Record<string, Factory>): MathJs };
  return create(factoriesFor(MATHJS_FUNCTIONS));
}

/** The mathjs functions expressions use (created on the first call). */
export function mathjs(): MathJs {
  if (instance) return instance;
  if (inNode()) {
    try {
      instance = fromFactories();
      built = 'factories';
      return instance;
    } catch {
      // another mathjs layout: the whole library below does the same, only slower to load
    }
  }
  // a literal, so that a bundler includes the library
  instance = require('mathjs') as MathJs;
  built = 'whole';
  return instance;
}

/** How the instance was made: from the factories (Node) or the whole library; undefined before the first use. */
export function mathjsBuild(): 'factories' | 'whole' | undefined {
  return built;
}

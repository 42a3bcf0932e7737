import fc from 'fast-check';
import * as whole from 'mathjs';
import { compileExpression, UNARY_FNS } from './expression';
import { factoriesFor, MATHJS_FUNCTIONS, mathjs, mathjsBuild } from './mathjs';

/** A value as text: numbers (NaN and infinities too), complex and other results by their string. */
const show = (v: unknown) => (typeof v === 'number' ? String(v) : `${typeof v}:${String(v)}`);
/** The result of `f`, or its error message: the slim and the whole library must agree on both. */
const attempt = (f: () => unknown) => {
  try {
    return show(f());
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

const FUNCTIONS = UNARY_FNS.filter((f) => f !== 'neg' && f !== 'not' && f !== 'sigmoid');
/** Expressions over x and y from the grammar pinn accepts: numbers, constants, operators, its functions. */
const expression = fc.letrec((tie) => ({
  leaf: fc.constantFrom('x', 'y', '0', '1', '2', '0.5', '3.25', 'pi', 'e'),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc
      .tuple(tie('node'), fc.constantFrom('+', '-', '*', '/', '^', '==', '<', '>=', ' and ', ' or '), tie('node'))
      .map(([a, op, b]) => `(${a})${op}(${b})`),
    fc.tuple(fc.constantFrom(...FUNCTIONS), tie('node')).map(([f, a]) => `${f}(${a})`),
    tie('node').map((a) => `-(${a})`),
  ),
})).node as fc.Arbitrary<string>;

describe('the slim mathjs', () => {
  it('is built from the factories in Node and holds every function an expression may use', () => {
    compileExpression('sin(x) / (x - x + 1)', ['x']);
    expect(mathjsBuild()).toBe('factories');
    expect(mathjs().parse('sech(x)^2 + erf(x)').evaluate({ x: 0.5 })).toBeCloseTo(
      (2 / (Math.exp(0.5) + Math.exp(-0.5))) ** 2 + 0.5204998778130465,
      12,
    );
  });
  it("requires exactly the factories of mathjs's own dependency sets for those functions", () => {
    const flat: Record<string, unknown> = {};
    const add = (o: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(o))
        typeof v === 'function' ? (flat[k] = v) : add(v as Record<string, unknown>);
    };
    for (const name of MATHJS_FUNCTIONS)
      add((whole as unknown as Record<string, Record<string, unknown>>)[`${name}Dependencies`]);
    const mine = factoriesFor(MATHJS_FUNCTIONS);
    expect(Object.keys(mine).sort()).toEqual(Object.keys(flat).sort());
    expect(Object.keys(mine).length).toBeGreaterThan(MATHJS_FUNCTIONS.length);
    for (const k of Object.keys(mine)) expect(mine[k]).toBe(flat[k]); // the same factory functions
  });
  it('parses, evaluates, simplifies and differentiates exactly as the whole library', () => {
    const slim = mathjs();
    fc.assert(
      fc.property(expression, (text) => {
        const a = slim.parse(text);
        const b = whole.parse(text);
        expect(a.toString()).toBe(b.toString());
        for (const scope of [{}, { x: 0.3, y: -0.7 }, { x: 0, y: 2 }])
          expect(attempt(() => a.evaluate(scope))).toBe(attempt(() => b.evaluate(scope)));
        expect(attempt(() => slim.simplify(a).toString())).toBe(attempt(() => whole.simplify(b).toString()));
        expect(attempt(() => slim.derivative(a, 'x').toString())).toBe(
          attempt(() => whole.derivative(b, 'x').toString()),
        );
      }),
      { numRuns: 60, seed: 7 },
    );
  });
  it('gives the checks the same verdicts: a zero denominator and a non-finite constant part are found', () => {
    expect(() => compileExpression('u_xx / (x - x)', ['u_xx', 'x'])).toThrow(/division by zero/);
    expect(() => compileExpression('u + log(0)', ['u'])).toThrow(/"log\(0\)" is -Infinity/);
    expect(() => compileExpression('u + sqrt(-1)', ['u'])).toThrow(/not a real number/);
  });
});

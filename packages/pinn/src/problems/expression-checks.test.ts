/**
 * Expressions that would crash inside tfjs or train on NaN fail at compile time with the field named:
 * Object.prototype names used as symbols, huge or deeply nested texts, and sub-expressions that are
 * certainly not finite.
 */
import fc from 'fast-check';
import { numberAlgebra } from './algebras';
import { compileExpression } from './expression';
import { checkFieldName, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './expression-checks';

const known = ['x', 't', 'u', 'u_t', 'u_xx', 'nu'];

describe('symbols cannot reach Object.prototype', () => {
  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'])(
    '%s is an unknown symbol, named with the field',
    (name) => {
      expect(() => compileExpression(`u_t - ${name}*u_xx`, known, { what: 'equation' })).toThrow(
        new RegExp(`^equation "u_t - ${name}\\*u_xx": unknown symbol ${name}; known symbols are x, t, u`),
      );
    },
  );

  it('a value missing from the environment is reported, never taken from the prototype', () => {
    const c = compileExpression('x + toString', (s) => s === 'x' || s === 'toString', { what: 'f' });
    expect(() => c.evaluate(numberAlgebra, { x: 1 })).toThrow('f "x + toString": no value for symbol toString');
    expect(c.evaluate(numberAlgebra, { x: 1, toString: 2 } as Record<string, number>)).toBe(3);
  });

  it('pi and e still are constants; a symbol of that name in the known list wins', () => {
    expect(compileExpression('2*pi + e', [], { what: 'f' }).evaluate(numberAlgebra, {})).toBeCloseTo(
      2 * Math.PI + Math.E,
      14,
    );
    expect(compileExpression('e', ['e']).evaluate(numberAlgebra, { e: 5 })).toBe(5);
  });
});

describe('size and nesting limits', () => {
  it('a text longer than the limit fails naming the field and the limit', () => {
    const long = Array.from({ length: 3000 }, () => 'x').join('+');
    expect(long.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH);
    expect(() => compileExpression(long, known, { what: 'conditions[0] (initial) value' })).toThrow(
      `conditions[0] (initial) value: the expression has ${long.length} characters, more than the limit of ${MAX_EXPRESSION_LENGTH}`,
    );
  });

  it('brackets nested deeper than the limit fail instead of overflowing the stack', () => {
    const deep = '('.repeat(2000) + 'x' + ')'.repeat(2000);
    expect(() => compileExpression(deep, known, { what: 'equation' })).toThrow(
      `equation: brackets are nested 2000 levels deep, more than the limit of ${MAX_EXPRESSION_DEPTH}`,
    );
    const ok = '('.repeat(MAX_EXPRESSION_DEPTH) + 'x' + ')'.repeat(MAX_EXPRESSION_DEPTH);
    expect(compileExpression(ok, known).evaluate(numberAlgebra, { x: 0.5 })).toBe(0.5);
  });

  it('a long chain within the length limit but too deep a tree fails naming the field', () => {
    const chain = Array.from({ length: 1200 }, () => 'x').join('-');
    expect(() => compileExpression(chain, known, { what: 'equation' })).toThrow(
      /^equation: the expression is \d+ operations deep, more than the limit of 400/,
    );
  });
});

describe('sub-expressions that are certainly not finite', () => {
  it.each([
    ['u_t = u_xx/0', 'division by zero: the denominator "0" is always 0'],
    ['u_t - u_xx/(x - x)', 'division by zero: the denominator "(x - x)" is always 0'],
    ['u_t - u_xx/(2*t - t*2)', 'division by zero: the denominator "(2 * t - t * 2)" is always 0'],
    ['u_t - 1/0 * u_xx', '"1 / 0" is Infinity'],
    ['u_t - log(0)*u_xx', '"log(0)" is -Infinity'],
    ['u_t - sqrt(-1)', '"sqrt(-1)" is not a real number'],
  ])('%s fails before training', (text, why) => {
    expect(() => compileExpression(text, known, { what: 'equation' })).toThrow(
      `equation "${text}": ${why}; the loss would be NaN or infinite`,
    );
  });

  it.each(['u_t - u_xx/(x + 1)', 'u_t - nu*u_xx/(1 - x*x + 2)', 'u_t - log(2)*u_xx', '1/(x - t)', 'sqrt(x) - 0/1'])(
    '%s is accepted',
    (text) => {
      expect(() => compileExpression(text, known)).not.toThrow();
    },
  );

  it('property: a finite constant times any known symbol compiles; divided by (s - s) it fails naming the field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...known), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (s, c) => {
        const lit = c.toPrecision(6);
        expect(() => compileExpression(`(${lit})*${s}`, known, { what: 'f' })).not.toThrow();
        expect(() => compileExpression(`(${lit})*${s}/(${s} - ${s})`, known, { what: 'conditions[2] value' })).toThrow(
          /^conditions\[2\] value ".*": division by zero/,
        );
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('field names', () => {
  it.each([
    [
      'toString',
      'outputs',
      "outputs: 'toString' is a reserved name (every JavaScript object has a member called so); rename it, e.g. toString1",
    ],
    ['constructor', 'domain', "domain: 'constructor' is a reserved name"],
    ['valueOf', 'parameters', "parameters: 'valueOf' is a reserved name"],
    ['u-v', 'outputs', "outputs: 'u-v' is not a valid name; use letters, digits and _, starting with a letter"],
    ['1x', 'domain', "domain: '1x' is not a valid name"],
  ])('%s as %s is refused naming the field', (name, field, message) => {
    expect(() => checkFieldName(name, field)).toThrow(message);
  });
  it.each(['u', 'x1', 'nu_0', 'T', 'rho'])('%s is a fine name', (name) =>
    expect(() => checkFieldName(name, 'outputs')).not.toThrow(),
  );
});

import { z } from 'zod';
import {
  check,
  describeValue,
  finiteNumber,
  halfOpenUnit,
  intAtLeast,
  learningRate,
  nonNegativeInt,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  probability,
  seed,
} from './atoms';

type Case = [name: string, schema: () => z.ZodNumber, accepted: number[], rejected: Array<[unknown, string]>];

const cases: Case[] = [
  [
    'positiveInt',
    () => positiveInt('n'),
    [1, 2, 10_000],
    [
      [0, 'n must be a positive integer, got 0'],
      [10.9, 'n must be a positive integer, got 10.9'],
      [-3, 'n must be a positive integer, got -3'],
      [Infinity, 'n must be a positive integer, got Infinity'],
      ['5', 'n must be a positive integer, got "5"'],
    ],
  ],
  [
    'nonNegativeInt',
    () => nonNegativeInt('n'),
    [0, 1, 7],
    [
      [-1, 'n must be an integer >= 0, got -1'],
      [0.5, 'n must be an integer >= 0, got 0.5'],
      [NaN, 'n must be an integer >= 0, got NaN'],
    ],
  ],
  [
    'intAtLeast(2)',
    () => intAtLeast(2, 'folds'),
    [2, 3],
    [
      [1, 'folds must be an integer >= 2, got 1'],
      [2.5, 'folds must be an integer >= 2, got 2.5'],
    ],
  ],
  [
    'finiteNumber',
    () => finiteNumber('x'),
    [-1e300, 0, 3.5],
    [
      [NaN, 'x must be a finite number, got NaN'],
      [-Infinity, 'x must be a finite number, got -Infinity'],
      [null, 'x must be a finite number, got null'],
    ],
  ],
  [
    'positiveNumber',
    () => positiveNumber('dt'),
    [1e-12, 2],
    [
      [0, 'dt must be a finite number > 0, got 0'],
      [-1, 'dt must be a finite number > 0, got -1'],
      [Infinity, 'dt must be a finite number > 0, got Infinity'],
    ],
  ],
  [
    'nonNegativeNumber',
    () => nonNegativeNumber('noise'),
    [0, 0.1],
    [
      [-0.1, 'noise must be a finite number >= 0, got -0.1'],
      [NaN, 'noise must be a finite number >= 0, got NaN'],
    ],
  ],
  [
    'probability',
    () => probability('p'),
    [0, 0.5, 1],
    [
      [1.01, 'p must be in [0, 1], got 1.01'],
      [-0.01, 'p must be in [0, 1], got -0.01'],
    ],
  ],
  [
    'halfOpenUnit',
    () => halfOpenUnit('beta1'),
    [0, 0.9, 0.999],
    [
      [1, 'beta1 must be in [0, 1), got 1'],
      [-0.1, 'beta1 must be in [0, 1), got -0.1'],
    ],
  ],
  [
    'learningRate',
    () => learningRate('learningRate'),
    [1e-3, 1],
    [
      [0, 'learningRate must be a finite number > 0, got 0'],
      [-1, 'learningRate must be a finite number > 0, got -1'],
      [Infinity, 'learningRate must be a finite number > 0, got Infinity'],
      [NaN, 'learningRate must be a finite number > 0, got NaN'],
    ],
  ],
  [
    'seed',
    () => seed('seed'),
    [0, -7, 42],
    [
      [1.5, 'seed must be an integer, got 1.5'],
      [undefined, 'seed must be an integer, got undefined'],
    ],
  ],
];

describe.each(cases)('%s', (_name, schema, accepted, rejected) => {
  it.each(accepted)('accepts %p unchanged', (v) => {
    expect(schema().parse(v)).toBe(v);
  });
  it.each(rejected)('rejects %p with the exact message', (v, message) => {
    const r = schema().safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0].message).toBe(message);
  });
});

describe('atoms without a field name', () => {
  it('leave the field to the path zod prints', () => {
    const r = z
      .strictObject({ training: z.strictObject({ steps: positiveInt() }) })
      .safeParse({ training: { steps: 0 } });
    expect(z.prettifyError(r.error!)).toBe('✖ must be a positive integer, got 0\n  → at training.steps');
  });
  it('keep zod modifiers: default and optional', () => {
    expect(positiveInt('every').default(1).parse(undefined)).toBe(1);
    expect(learningRate().optional().parse(undefined)).toBeUndefined();
  });
});

describe('check', () => {
  it('returns the value when valid', () => {
    expect(check(positiveInt(), 3, 'window')).toBe(3);
    expect(check(z.array(positiveInt()), [1, 2], 'hidden')).toEqual([1, 2]);
  });
  it('throws "<field> must be ..., got <value>"', () => {
    expect(() => check(positiveInt(), 10.9, "dense 'h': units")).toThrow(
      new Error("dense 'h': units must be a positive integer, got 10.9"),
    );
    expect(() => check(learningRate(), 0, 'solver: adam.learningRate')).toThrow(
      new Error('solver: adam.learningRate must be a finite number > 0, got 0'),
    );
  });
  it('adds the path of an issue inside an array or object', () => {
    expect(() => check(z.array(positiveInt()), [4, -3], 'network.hidden')).toThrow(
      new Error('network.hidden[1] must be a positive integer, got -3'),
    );
    expect(() => check(z.object({ every: positiveInt() }), { every: 0 }, 'refinement')).toThrow(
      new Error('refinement.every must be a positive integer, got 0'),
    );
  });
});

describe('describeValue', () => {
  it.each([
    [2.5, '2.5'],
    [NaN, 'NaN'],
    ['3', '"3"'],
    [undefined, 'undefined'],
    [null, 'null'],
    [[1, 2], '[1,2]'],
    [{ a: 1 }, '{"a":1}'],
  ])('%p -> %s', (v, s) => expect(describeValue(v)).toBe(s));
});

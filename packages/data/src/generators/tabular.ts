import type { Rng } from '@aml/core';
import type { Column, Table } from '../table/table';

/** The rules of `tabularDataset`: whether a linear model can, in principle, fit them. */
export type TabularRule =
  | 'linear-regression'
  | 'nonlinear-regression'
  | 'linear-classification'
  | 'nonlinear-classification';

/** Every rule name (for CLIs and parameterised tests). */
export const TABULAR_RULES: readonly TabularRule[] = [
  'linear-regression',
  'nonlinear-regression',
  'linear-classification',
  'nonlinear-classification',
];

/** Options of `tabularDataset`. */
export interface TabularOptions {
  /** Number of numeric features x1..xd, >= 3 (default 4). */
  readonly features?: number;
  /** Noise: std of the additive noise (regression) or of the noise added to the score before thresholding (classification). Default 0.1. */
  readonly noise?: number;
  /** Share of feature cells made missing at random (default 0). */
  readonly missing?: number;
  /** Add a text column 'group' (values g1..g3) that shifts the target (default false). */
  readonly categorical?: boolean;
}

/** A generated table and the rule that made it. */
export interface TabularDataset {
  /** Columns x1..xd, optional 'group', and the target 'y' (numbers, or class names 'A'/'B'). */
  readonly table: Table;
  /** Name of the target column ('y'). */
  readonly target: string;
  /** The rule in words (for reports). */
  readonly description: string;
  /** Linear rules: the true weights w (length d) and bias b. */
  readonly weights?: readonly number[];
  readonly bias?: number;
}

/** The true weights of the linear rules: w_j = (-1)^j (1 + j / 2). */
export function linearWeights(d: number): number[] {
  return Array.from({ length: d }, (_, j) => (j % 2 ? -1 : 1) * (1 + j / 2));
}

const GROUP_SHIFT: Record<string, number> = { g1: -1, g2: 0, g3: 1 };

/**
 * Tabular data with a known rule, features x_j ~ N(0, 1):
 * - linear-regression:  y = w.x + 0.5 (+ group shift) + noise
 * - nonlinear-regression: y = sin(2 x1) + x2^2 - x1 x3 (+ group shift) + noise
 * - linear-classification: y = 'A' if w.x + 0.5 + noise > 0 else 'B'
 * - nonlinear-classification: y = 'A' if x1^2 + x2^2 + noise < 2 ln 2 else 'B' (a disc: balanced, and no
 *   linear boundary does better than about 50-60 %)
 *
 * @example
 *   const { table, target } = tabularDataset('nonlinear-classification', 500, new Rng(0));
 */
export function tabularDataset(rule: TabularRule, n: number, rng: Rng, o: TabularOptions = {}): TabularDataset {
  if (!TABULAR_RULES.includes(rule))
    throw new Error(`tabularDataset: unknown rule '${rule}'; expected one of ${TABULAR_RULES.join(', ')}`);
  const d = o.features ?? 4;
  const noise = o.noise ?? 0.1;
  const miss = o.missing ?? 0;
  if (!Number.isInteger(n) || n < 2) throw new Error(`tabularDataset: n must be an integer >= 2, got ${n}`);
  if (!Number.isInteger(d) || d < 3) throw new Error(`tabularDataset: features must be an integer >= 3, got ${d}`);
  if (!(miss >= 0 && miss < 1)) throw new Error(`tabularDataset: missing must be in [0, 1), got ${miss}`);
  const X = Array.from({ length: d }, () => new Float64Array(n));
  const groups: string[] = [];
  const w = linearWeights(d);
  const b = 0.5;
  const yNum = new Float64Array(n);
  const yCls: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = X.map((col) => (col[i] = rng.normal()));
    const g = o.categorical ? ['g1', 'g2', 'g3'][rng.int(3)] : 'g2';
    groups.push(g);
    const lin = x.reduce((s, v, j) => s + w[j] * v, b);
    const e = noise * rng.normal();
    switch (rule) {
      case 'linear-regression':
        yNum[i] = lin + GROUP_SHIFT[g] + e;
        break;
      case 'nonlinear-regression':
        yNum[i] = Math.sin(2 * x[0]) + x[1] * x[1] - x[0] * x[2] + GROUP_SHIFT[g] + e;
        break;
      case 'linear-classification':
        yCls.push(lin + GROUP_SHIFT[g] + e > 0 ? 'A' : 'B');
        break;
      case 'nonlinear-classification':
        yCls.push(x[0] * x[0] + x[1] * x[1] + GROUP_SHIFT[g] + e < 2 * Math.LN2 ? 'A' : 'B');
        break;
    }
  }
  // Missing cells are knocked out after the target is computed: the rule holds for the true values.
  if (miss > 0) for (const col of X) for (let i = 0; i < n; i++) if (rng.uniform() < miss) col[i] = NaN;
  const columns: Column[] = X.map((values, j) => ({ name: `x${j + 1}`, type: 'number', values }));
  if (o.categorical) columns.push({ name: 'group', type: 'string', values: groups });
  columns.push(
    rule.endsWith('regression')
      ? { name: 'y', type: 'number', values: yNum }
      : { name: 'y', type: 'string', values: yCls },
  );
  const text: Record<TabularRule, string> = {
    'linear-regression': `y = w.x + 0.5 + N(0, ${noise}^2), w = [${w.map((v) => v.toFixed(1)).join(', ')}]`,
    'nonlinear-regression': `y = sin(2 x1) + x2^2 - x1 x3 + N(0, ${noise}^2)`,
    'linear-classification': `y = A if w.x + 0.5 + N(0, ${noise}^2) > 0, w = [${w.map((v) => v.toFixed(1)).join(', ')}]`,
    'nonlinear-classification': `y = A if x1^2 + x2^2 + N(0, ${noise}^2) < 2 ln 2`,
  };
  const linear = rule.startsWith('linear');
  return {
    table: { columns, nRows: n, source: `<${rule}>` },
    target: 'y',
    description: text[rule] + (o.categorical ? ' (+ group shift g1 -1, g2 0, g3 +1)' : ''),
    ...(linear ? { weights: w, bias: b } : {}),
  };
}

/** Options of `seasonalSeries`. */
export interface SeasonalOptions {
  /** Steps per season (default 24: a daily cycle of hourly data). */
  readonly period?: number;
  /** Linear trend per step (default 0.005). */
  readonly trend?: number;
  /** Std of the AR(1) noise innovations (default 0.1). */
  readonly noise?: number;
  /** AR(1) coefficient of the noise (default 0.5). */
  readonly ar?: number;
  /** First time stamp (ISO, default 2024-01-01T00:00:00Z). */
  readonly start?: string;
  /** Minutes between rows (default 60). */
  readonly stepMinutes?: number;
}

/**
 * A univariate time series with trend, two harmonics and AR(1) noise, as a table ('time' dates, 'value'):
 * value_t = sin(2 pi t / P) + 0.5 sin(6 pi t / P) + trend * t + e_t, e_t = ar * e_{t-1} + N(0, noise^2).
 * Forecasting data for data-lab, where a windowed model should beat the naive "same as last step".
 */
export function seasonalSeries(n: number, rng: Rng, o: SeasonalOptions = {}): Table {
  if (!Number.isInteger(n) || n < 2) throw new Error(`seasonalSeries: n must be an integer >= 2, got ${n}`);
  const P = o.period ?? 24;
  const t0 = Date.parse(o.start ?? '2024-01-01T00:00:00Z');
  if (Number.isNaN(t0)) throw new Error(`seasonalSeries: start '${o.start}' is not an ISO date`);
  const dt = (o.stepMinutes ?? 60) * 60_000;
  const time = new Float64Array(n);
  const value = new Float64Array(n);
  let e = 0;
  for (let t = 0; t < n; t++) {
    e = (o.ar ?? 0.5) * e + rng.normal(0, o.noise ?? 0.1);
    time[t] = t0 + t * dt;
    value[t] = Math.sin((2 * Math.PI * t) / P) + 0.5 * Math.sin((6 * Math.PI * t) / P) + (o.trend ?? 0.005) * t + e;
  }
  return {
    columns: [
      { name: 'time', type: 'date', values: time },
      { name: 'value', type: 'number', values: value },
    ],
    nRows: n,
    source: '<seasonal>',
  };
}

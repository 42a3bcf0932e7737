/**
 * Classical references the app computes for problems whose solution has no closed form: an ODE
 * system integrated by RK45, or a 1D evolution equation by the method of lines (fine finite-difference
 * grid + RK45). Closed forms and the Burgers benchmark are stated in the problem config itself
 * (`problem.reference`, @aml/pinn).
 */
import { z } from 'zod';

const expressions = z.record(z.string(), z.string().min(1, 'give an expression'));
const numbers = z.record(z.string(), z.number());

/** An ODE system y' = f(t, y) integrated by adaptive Dormand-Prince RK45 (@aml/core). */
export const odeReferenceSchema = z.strictObject({
  type: z.literal('ode'),
  /** Output name -> right-hand side in the time input, the outputs and `parameters`. */
  rhs: expressions,
  /** Output name -> value at the start of the time interval. */
  initial: numbers,
  /** Constants, e.g. { "sigma": 10, "rho": 28, "beta": 2.6667 }. */
  parameters: numbers.default({}),
  /** Relative tolerance (default 1e-9). */
  rtol: z.number().positive().default(1e-9),
});

/** u_t = F(x, u, u_x, u_xx) on an interval: centred differences on `nx` cells, RK45 in time. */
export const linesReferenceSchema = z.strictObject({
  type: z.literal('lines'),
  /** F as text, e.g. "0.0001*u_xx - 5*u^3 + 5*u". */
  rhs: z.string().min(1),
  /** u(x, t0) as text in the space input. */
  initial: z.string().min(1),
  /** 'periodic', or Dirichlet values at the two ends. */
  boundary: z.union([z.literal('periodic'), z.strictObject({ dirichlet: z.tuple([z.number(), z.number()]) })]),
  /** Cells (default 512). */
  nx: z.number().int().min(8, 'lines.nx must be at least 8').default(512),
  /** Constants in rhs. */
  parameters: numbers.default({}),
  /** Relative tolerance (default 1e-8). */
  rtol: z.number().positive().default(1e-8),
});

/** The reference of an experiment. */
export const referenceSchema = z.discriminatedUnion('type', [odeReferenceSchema, linesReferenceSchema]);
export type ReferenceSpec = z.output<typeof referenceSchema>;

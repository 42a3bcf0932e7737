/**
 * The `reference` block of a problem config: the one place a problem states what its network is
 * scored against. A closed form (`exact`), or a classical solver (`solver`: the Burgers Cole-Hopf
 * solution, an ODE system by RK45, the method of lines, or Fourier pseudo-spectral ETDRK4), and
 * optionally a data grid file (`file`, read by the app) scored on its own points.
 */
import { z } from 'zod';
import { finiteNumber, intAtLeast, positiveInt, positiveNumber } from '@aml/core';

const text = z.string().min(1, { error: 'must be a non-empty expression' });
const perOutput = z.union([text, z.record(z.string(), text)]);
const numbers = z.record(z.string(), finiteNumber());

/** An ODE system y' = f(t, y) integrated by adaptive Dormand-Prince RK45 (@aml/core). */
export const odeSolverSchema = z.strictObject({
  type: z.literal('ode'),
  /** Output name -> right-hand side in the time input, the outputs and `parameters`. */
  rhs: z.record(z.string(), text),
  /** Output name -> value at the start of the time interval. */
  initial: numbers,
  /** Constants, e.g. { "sigma": 10, "rho": 28, "beta": 2.6667 } (the true values in an inverse problem). */
  parameters: numbers.default({}),
  /** Relative tolerance (default 1e-9; absolute tolerance rtol / 1000). */
  rtol: positiveNumber().default(1e-9),
});

/** u_t = F(x, u, u_x, u_xx) on an interval: centred differences on `nx` cells, RK45 in time. */
export const linesSolverSchema = z.strictObject({
  type: z.literal('lines'),
  /** F as text, e.g. "0.0001*u_xx - 5*u^3 + 5*u". */
  rhs: text,
  /** u(x, t0) as text in the space input. */
  initial: text,
  /** 'periodic', or Dirichlet values at the two ends. */
  boundary: z.union([z.literal('periodic'), z.strictObject({ dirichlet: z.tuple([finiteNumber(), finiteNumber()]) })]),
  /** Cells (default 512). */
  nx: intAtLeast(8).default(512),
  /** Constants in rhs and initial. */
  parameters: numbers.default({}),
  /** Relative tolerance (default 1e-8). */
  rtol: positiveNumber().default(1e-8),
});

/** u_t = L u + N(x, u, u_x, u_xx), periodic: Fourier pseudo-spectral in x, ETDRK4 in time (Kassam & Trefethen 2005). */
export const spectralSolverSchema = z.strictObject({
  type: z.literal('spectral'),
  /**
   * The linear part with constant coefficients, by derivative name: { "u_xx": 0.0001 } or
   * { "u_xxx": -0.0025 }; keys u, u_x, u_xx, u_xxx, u_xxxx (named after the output and space input).
   */
  linear: numbers,
  /** N as text in x, u, u_x, u_xx and `parameters`, e.g. "5*u - 5*u^3" or "-u*u_x"; "0" for none. */
  nonlinear: text,
  /** u(x, t0) as text in the space input. */
  initial: text,
  /** Grid points = Fourier modes, a power of two (default 512). */
  n: intAtLeast(8).default(512),
  /** Time step (default 1e-4). */
  dt: positiveNumber().default(1e-4),
  /** Zero the top third of N's modes against aliasing (default true). */
  dealias: z.boolean().default(true),
  /** Constants in nonlinear and initial. */
  parameters: numbers.default({}),
});

/** A classical solver: 'burgers' (Cole-Hopf, nu from parameters.nu or 0.01/pi) or a solver object. */
export const referenceSolverSchema = z.union(
  [z.literal('burgers'), z.discriminatedUnion('type', [odeSolverSchema, linesSolverSchema, spectralSolverSchema])],
  {
    error: 'reference.solver must be "burgers" or an object with type "ode", "lines" or "spectral"',
  },
);

/** The reference block: at most one of `exact` and `solver`, plus an optional data `file`. */
export const referenceConfigSchema = z
  .strictObject({
    /** Exact solution as text in the inputs (per output when a record). */
    exact: perOutput.optional(),
    /** A classical solution computed here. */
    solver: referenceSolverSchema.optional(),
    /** A CSV/NPY grid file with columns named after inputs and outputs (read by the app). */
    file: z.string().optional(),
    /** Evaluation grid points per axis (default 101 each). */
    grid: z.array(positiveInt()).optional(),
  })
  .refine((r) => !(r.exact !== undefined && r.solver !== undefined), {
    error: 'give reference.exact or reference.solver, not both: one problem has one reference solution',
  });

/** A validated reference block. */
export type ReferenceConfig = z.output<typeof referenceConfigSchema>;
/** A validated solver entry. */
export type ReferenceSolverConfig = z.output<typeof referenceSolverSchema>;

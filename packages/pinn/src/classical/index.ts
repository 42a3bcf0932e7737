/**
 * Classical reference solvers, in float64: tridiagonal (Thomas) and 1D Poisson, heat by FTCS and
 * Crank-Nicolson, Burgers by Cole-Hopf, the method of lines, ODE trajectories, and periodic Fourier
 * pseudo-spectral ETDRK4 (Allen-Cahn, KdV). RK4/RK45 themselves are in @aml/core.
 */
export { solveTridiagonal, poisson1d } from './tridiagonal';
export { heatExplicit, marchHeat, type HeatSetup, type HeatSolution } from './heat';
export { heatCrankNicolson } from './crank-nicolson';
export { burgersExact, burgersGrid, type BurgersOptions } from './burgers';
export { methodOfLines, distinctColumn, type MethodOfLinesSetup, type SpaceTimeField } from './method-of-lines';
export { odeTrajectory, type OdeTrajectorySetup } from './ode';
export { fft, isPowerOfTwo } from './fft';
export { etdrk4Coefficients, etdrk4Step, complexZeros, type ComplexArray, type Etdrk4Coefficients } from './etdrk4';
export { periodicSpectral, type PeriodicSpectralSetup, type PeriodicSpectralSolution } from './spectral';

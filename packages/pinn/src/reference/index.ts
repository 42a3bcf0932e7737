/** Classical reference solvers. ODE integrators (rk4, rk45) live in @aml/core. */
export * from './tridiagonal';
export * from './heat';
export * from './burgers';

/**
 * @aml/sweep: experiment sweeps. A base config plus parameters to vary and seeds expand into one
 * run per combination, each in its own folder with a stable id; the runs execute through a local
 * process pool or a Slurm job array (the same per-run wrapper either way); `collect` gathers one
 * table and an HTML report. Public surface of the package.
 *
 * @module @aml/sweep
 */
export const PACKAGE_NAME = '@aml/sweep';

export * from './spec/paths';
export * from './spec/values';
export * from './spec/validate';
export * from './spec/id';
export * from './spec/expand';
export * from './spec/spec';
export * from './runs/layout';
export * from './runs/script';
export * from './runs/plan';
export * from './runs/run-sweep';
export * from './executors/executor';
export * from './executors/local';
export * from './slurm/options';
export * from './slurm/sbatch';
export * from './slurm/resources';
export * from './slurm/squeue';
export * from './slurm/follow';
export * from './slurm/executor';
export * from './slurm/local-cluster';
export * from './collect/table';
export * from './collect/stats';
export * from './collect/report';
export * from './collect/overhead';
export * from './collect/collect';
export * from './cli/command';
export * from './cli/status';
export * from './cli/ts-node';
export * from './runs/lock';

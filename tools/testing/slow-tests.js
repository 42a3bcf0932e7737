// Test files left out of the quick loop (`npm run test:quick`): integration tests that start
// processes, train experiments, drive a browser or a Slurm cluster. Paths relative to the repository.
// `npm test` (and CI) still runs every one of them.
const slowTests = [
  'experiments/tests/', // every nn and generative experiment in its --quick mode
  'apps/pde-lab/tests/', // the CLI end to end: every experiment --quick, kill -9 / resume, signals, history
  'apps/pde-lab/src/sweep.test.ts', // sweeps of real pde-lab runs, locally and on a private Slurm cluster
  'apps/data-lab/src/sweep.test.ts', // a sweep of real data-lab runs
  'apps/data-lab/src/run/interrupt.test.ts', // kills and resumes real analyze runs in child processes (about 2 minutes)
  'packages/sweep/src/slurm/executor.test.ts', // a private Slurm cluster: job arrays, retries, cancellation (about 40 s)
  'packages/sweep/src/slurm/resilience.test.ts', // a private Slurm cluster: resume, requeue, pending reasons (about 40 s)
  'packages/plot/src/export/browser.test.ts', // renders reports in headless Chromium
];
module.exports = { slowTests };

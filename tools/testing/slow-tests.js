// Test files left out of the quick loop (`npm run test:quick`): integration tests that start
// processes, train experiments, drive a browser or a Slurm cluster. Paths relative to the repository.
// `npm test` (and CI) still runs every one of them.
const slowTests = [
  'experiments/tests/',
  'apps/data-lab/src/run/interrupt.test.ts', // kills and resumes real analyze runs in child processes (about 2 minutes)
];
module.exports = { slowTests };

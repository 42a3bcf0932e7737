/**
 * Test support: the fixtures that NumPy, SciPy and h5py write (tools/fixtures/make-fixtures.py), generated
 * once per script version into tools/fixtures/out/<hash>/ (gitignored), so `npm test` works on a clean
 * clone. Without a python3 that has numpy and scipy this throws, so the suites that need it fail with the
 * fix in the message instead of passing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the fixtures are and what the script documented about them. */
export interface PythonFixtures {
  readonly dir: string;
  /** expected.json: arrays by name ({dtype, shape, data}), `h5py`, `versions`. */
  readonly expected: Readonly<Record<string, { dtype: string; shape: number[]; data: number[] }>>;
  /** Whether plain.h5 and v73.mat exist (h5py was found). */
  readonly h5py: boolean;
  readonly python: string;
}

const TOOLS = path.resolve(__dirname, '../../../../tools/fixtures');
const SCRIPT = path.join(TOOLS, 'make-fixtures.py');
/** Pythons tried, in order: pyenv's or the user's first, then Debian's (which has python3-h5py). */
const CANDIDATES = ['python3', '/usr/bin/python3', 'python'];

function modules(py: string): { numpy: boolean; h5py: boolean } {
  // One start per python (pyenv's shim alone takes a while): numpy and scipy must import, h5py may be missing.
  const r = spawnSync(
    py,
    ['-c', 'import numpy, scipy.io, importlib.util as u; print(u.find_spec("h5py") is not None)'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const numpy = r.status === 0;
  return { numpy, h5py: numpy && r.stdout.trim() === 'True' };
}

/** A python3 with numpy and scipy, preferring one that also has h5py. */
function choosePython(): { python: string; h5py: boolean } {
  const found: { python: string; numpy: boolean; h5py: boolean }[] = [];
  for (const python of CANDIDATES) {
    const c = { python, ...modules(python) };
    if (c.h5py) return c;
    if (c.numpy) found.push(c);
  }
  const best = found[0];
  if (!best) {
    throw new Error(
      `no python with numpy and scipy found (tried ${CANDIDATES.join(', ')}); the .npz/.mat reader tests compare with files those ` +
        'libraries write. Install them: apt-get install python3-numpy python3-scipy python3-h5py (or pip install numpy scipy h5py)',
    );
  }
  return best;
}

let cached: PythonFixtures | undefined;

/** Generate (once per script version and python) and return the fixtures. */
export function pythonFixtures(): PythonFixtures {
  if (cached) return cached;
  const { python, h5py } = choosePython();
  const hash = createHash('sha256')
    .update(fs.readFileSync(SCRIPT))
    .update(python)
    .update(String(h5py))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(TOOLS, 'out', hash);
  if (!fs.existsSync(path.join(dir, 'expected.json'))) {
    // Write beside, then rename: jest workers running this at the same time never see a half-written folder.
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    execFileSync(python, [SCRIPT, tmp], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another worker finished first
    }
  }
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
  if (!expected.h5py) {
    console.warn(
      `HDF5 / MAT 7.3 fixture tests are SKIPPED: ${python} has no h5py. Install it: apt-get install python3-h5py`,
    );
  }
  cached = { dir, expected, h5py: expected.h5py === true, python };
  return cached;
}

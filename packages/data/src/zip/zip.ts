/**
 * ZIP archives (the container of NumPy's .npz), stored or deflated members, through fflate. Failures
 * are `DataError`s naming the file and the member, and the fix.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { DataError } from '../table/errors';

/** One member of an archive: its name and its uncompressed bytes. */
export interface ZipMember {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Options of `formatZip`. */
export interface ZipWriteOptions {
  /** Deflate the members (like np.savez_compressed) instead of storing them (np.savez). Default false. */
  readonly compress?: boolean;
}

/** A fixed member time (1980-01-01, the earliest a ZIP can hold) so the same arrays give the same bytes. */
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** The members of a ZIP archive held in memory, in archive order. */
export function parseZip(buf: Uint8Array, file: string): ZipMember[] {
  if (buf.length < 4 || buf[0] !== 0x50 || buf[1] !== 0x4b) {
    const got = Array.from(buf.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataError(
      { file },
      `not a ZIP archive: the first bytes are ${got || '(none)'}`,
      "a ZIP archive starting with 'PK' (50 4b), as np.savez writes",
    );
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(buf);
  } catch (e) {
    throw new DataError(
      { file },
      `the ZIP archive cannot be read (${(e as Error).message})`,
      'a complete archive with stored or deflated members (the file may be truncated)',
    );
  }
  return Object.entries(files).map(([name, data]) => ({ name, data }));
}

/** Encode members as a ZIP archive (stored or deflated; fixed timestamps, so the output is reproducible). */
export function formatZip(members: readonly ZipMember[], options: ZipWriteOptions = {}): Uint8Array {
  const z: Zippable = {};
  for (const m of members) {
    if (m.name in z) throw new Error(`formatZip: member '${m.name}' appears twice; give each member a distinct name`);
    z[m.name] = [m.data, { level: options.compress ? 6 : 0, mtime: FIXED_TIME }];
  }
  return zipSync(z, { mtime: FIXED_TIME });
}

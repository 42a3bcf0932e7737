import type { Rng } from '@aml/core';

/**
 * Small graphs for graph-network experiments: Lennard-Jones clusters (positions, neighbour edges, energy)
 * and random molecule-like graphs (typed atoms, bonds within valence).
 */

/** Lennard-Jones pair energy 4 eps ((sigma/r)^12 - (sigma/r)^6); minimum -eps at r = 2^(1/6) sigma. */
export function ljPair(r: number, eps = 1, sigma = 1): number {
  const s6 = (sigma / r) ** 6;
  return 4 * eps * (s6 * s6 - s6);
}

/** A particle cluster as a graph. */
export interface Cluster {
  /** Positions, row-major (n, 3). */
  readonly positions: Float64Array;
  /** Directed edges (both directions) between particles closer than the cutoff: (E, 2) row-major. */
  readonly edges: Int32Array;
  /** Total Lennard-Jones energy over all pairs (no cutoff), in units of eps. */
  readonly energy: number;
}

/** Total LJ energy of a configuration (all pairs). */
export function ljEnergy(positions: Float64Array, eps = 1, sigma = 1): number {
  const n = positions.length / 3;
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = positions[3 * i] - positions[3 * j];
      const dy = positions[3 * i + 1] - positions[3 * j + 1];
      const dz = positions[3 * i + 2] - positions[3 * j + 2];
      e += ljPair(Math.sqrt(dx * dx + dy * dy + dz * dz), eps, sigma);
    }
  }
  return e;
}

/** Edges (both directions) of pairs closer than `cutoff`. */
export function radiusEdges(positions: Float64Array, cutoff: number): Int32Array {
  const n = positions.length / 3;
  const e: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const d = Math.hypot(
        positions[3 * i] - positions[3 * j],
        positions[3 * i + 1] - positions[3 * j + 1],
        positions[3 * i + 2] - positions[3 * j + 2],
      );
      if (d < cutoff) e.push(i, j);
    }
  }
  return Int32Array.from(e);
}

/**
 * A random LJ cluster (sigma = eps = 1): particles placed one by one at random in a cube of side
 * (n / density)^(1/3), rejecting any closer than `minDistance` to another (no overlaps, finite energy).
 *
 * @example
 *   const c = ljCluster(8, new Rng(1));   // c.positions (8, 3), c.edges (E, 2), c.energy
 */
export function ljCluster(
  n: number,
  rng: Rng,
  o: { density?: number; minDistance?: number; cutoff?: number } = {},
): Cluster {
  if (!Number.isInteger(n) || n < 2) throw new Error(`ljCluster: n must be an integer >= 2, got ${n}`);
  const side = Math.cbrt(n / (o.density ?? 0.5));
  const dmin = o.minDistance ?? 0.9;
  const pos = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 10_000)
        throw new Error(`ljCluster: cannot place ${n} particles at minDistance ${dmin}; lower density`);
      const p = [rng.range(0, side), rng.range(0, side), rng.range(0, side)];
      let ok = true;
      for (let j = 0; j < i && ok; j++)
        ok = Math.hypot(p[0] - pos[3 * j], p[1] - pos[3 * j + 1], p[2] - pos[3 * j + 2]) >= dmin;
      if (ok) {
        pos.set(p, 3 * i);
        break;
      }
    }
  }
  return { positions: pos, edges: radiusEdges(pos, o.cutoff ?? 2.5), energy: ljEnergy(pos) };
}

/** Atom types of random molecules and their valences. */
export const VALENCE: Readonly<Record<string, number>> = { C: 4, N: 3, O: 2, F: 1 };

/** A molecule-like graph. */
export interface MoleculeGraph {
  /** Atom symbols, length n. */
  readonly atoms: readonly string[];
  /** Bonds as undirected pairs i < j: (B, 2) row-major. */
  readonly bonds: Int32Array;
  /** Free valence (implicit hydrogens) per atom. */
  readonly hydrogens: Int32Array;
}

/**
 * A random connected molecule-like graph with heavy atoms C, N, O, F: atoms join a growing tree at a random
 * atom with free valence, then a few ring-closing bonds are added where valences allow. No atom exceeds its valence.
 */
export function randomMolecule(
  rng: Rng,
  o: { minAtoms?: number; maxAtoms?: number; rings?: number } = {},
): MoleculeGraph {
  const lo = o.minAtoms ?? 3;
  const hi = o.maxAtoms ?? 9;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && 2 <= lo && lo <= hi))
    throw new Error(`randomMolecule: need integers 2 <= minAtoms <= maxAtoms, got ${lo}, ${hi}`);
  const n = lo + rng.int(hi - lo + 1);
  const kinds = ['C', 'C', 'C', 'N', 'O', 'F']; // carbon-rich, like organic molecules
  const atoms: string[] = [];
  const free: number[] = [];
  const bonds: [number, number][] = [];
  const bonded = new Set<string>();
  for (let i = 0; i < n; i++) {
    // Non-terminal atoms (valence >= 2) keep the tree growable; F only joins as a leaf.
    let kind = kinds[rng.int(kinds.length)];
    const open = free.map((f, j) => (f > 0 ? j : -1)).filter((j) => j >= 0);
    if (i > 0 && open.length === 1 && free[open[0]] === 1 && VALENCE[kind] === 1) kind = 'C';
    atoms.push(kind);
    free.push(VALENCE[kind]);
    if (i > 0) {
      const j = open[rng.int(open.length)];
      bonds.push([j, i]);
      bonded.add(`${j},${i}`);
      free[j]--;
      free[i]--;
    }
  }
  for (let r = 0; r < (o.rings ?? 1); r++) {
    const cand: [number, number][] = [];
    for (let i = 0; i < n; i++)
      for (let j = i + 2; j < n; j++) if (free[i] > 0 && free[j] > 0 && !bonded.has(`${i},${j}`)) cand.push([i, j]);
    if (cand.length === 0) break;
    const [i, j] = cand[rng.int(cand.length)];
    bonds.push([i, j]);
    bonded.add(`${i},${j}`);
    free[i]--;
    free[j]--;
  }
  return { atoms, bonds: Int32Array.from(bonds.flat()), hydrogens: Int32Array.from(free) };
}

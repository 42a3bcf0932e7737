/**
 * `pde-lab list`: the shipped experiments with their one-line descriptions (read from the configs).
 */
import { EXPERIMENTS_DIR, listExperiments } from '../catalog/catalog';

/** The listing as text: one experiment per line, names aligned. */
export function formatList(dir = EXPERIMENTS_DIR): string {
  const items = listExperiments(dir);
  if (items.length === 0) return `no experiments in ${dir}`;
  const w = items.reduce((m, i) => Math.max(m, i.name.length), 0);
  return items.map((i) => `${i.name.padEnd(w)}  ${i.description}`).join('\n');
}

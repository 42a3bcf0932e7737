import type { BenchCase } from '../case';
/** Accuracy cases (filled in as the solver lands). */
export const accuracyCases: BenchCase[] = [];

import type { TrainSettings } from '../models/model';
import type { AnalyzeOptions } from './options';

/** Training settings from the analyze options (`--quick`: at most 5 epochs, a smoke-size run). */
export function settingsFrom(
  o: Pick<AnalyzeOptions, 'epochs' | 'batchSize' | 'lr' | 'hidden' | 'quick'>,
): TrainSettings {
  return {
    epochs: o.quick ? Math.min(o.epochs, 5) : o.epochs,
    batchSize: o.batchSize,
    learningRate: o.lr,
    hidden: o.hidden.split(',').map(Number),
    baselineSteps: o.quick ? 30 : 300,
  };
}

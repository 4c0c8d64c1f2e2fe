import { EsdlabError } from '../errors.js';

/** Training stopped because its AbortSignal fired (between two steps; nothing half-updated). */
export class TrainingAbortedError extends EsdlabError {
  override name = 'AbortError';
  /** `hasCheckpoint`: a checkpoint of the step reached was saved (train()'s checkpoint hook). */
  constructor(
    readonly step: number,
    readonly hasCheckpoint = false,
  ) {
    super(`training was aborted after step ${step}; ${hasCheckpoint ? 'a checkpoint of that step was saved' : 'rerun to start over'}`);
  }
}

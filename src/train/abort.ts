import { EsdlabError } from '../errors.js';

/** Training stopped because its AbortSignal fired (between two steps; nothing half-updated). */
export class TrainingAbortedError extends EsdlabError {
  override name = 'AbortError';
  constructor(readonly step: number) {
    super(`training was aborted after step ${step}; rerun to start over`);
  }
}

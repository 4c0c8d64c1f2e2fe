import { BackendUnavailableError, ConfigError, EsdlabError, InputError } from '../errors.js';

/** Exit code for a failure: 2 for usage, config or input errors, 1 for everything else. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof InputError || error instanceof BackendUnavailableError) return 2;
  if (error instanceof Error && error.name === 'CommanderError') return 2;
  return 1;
}

/**
 * Reports an error in one line on stderr (with the stack only when `debug`), and returns the exit
 * code. An EsdlabError's message is meant for the user; anything else is a bug and says so.
 */
export function handleError(error: unknown, debug = false): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof EsdlabError) process.stderr.write(`esdlab: ${message}\n`);
  else process.stderr.write(`esdlab: internal error: ${message} (rerun with --debug for the stack)\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitCodeFor(error);
}

/**
 * The error vocabulary of esdlab. Every failure a user can cause or meet is one of these, with a
 * message that is a single sentence they can act on. The CLI maps the class to an exit code and
 * prints no stack trace unless --debug is set.
 */
export class EsdlabError extends Error {
  override name = 'EsdlabError';
}

/** A config value is wrong: names the key, the value and what is allowed. */
export class ConfigError extends EsdlabError {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
  }
}

/** Input data (a matrix, a file, an eigenvalue array) is unusable: says what was wrong with it. */
export class InputError extends EsdlabError {
  override name = 'InputError';
}

/** A requested backend could not be loaded: says what was tried and how to enable it. */
export class BackendUnavailableError extends EsdlabError {
  override name = 'BackendUnavailableError';
}

/** A numerical method failed: names the op, the condition and what to try. */
export class NumericalError extends EsdlabError {
  override name = 'NumericalError';
}

/** An error class (a constructor whose instances `instanceof` recognises). */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * The value of `compute`, or null when it throws an instance of `errorClass` (a degenerate input
 * that makes one metric undefined, say); any other error is rethrown.
 */
export function nullOn<T>(errorClass: ErrorClass, compute: () => T): T | null {
  try {
    return compute();
  } catch (error) {
    if (error instanceof errorClass) return null;
    throw error;
  }
}

/** The awaited value of `compute`, or null when it rejects with an instance of `errorClass`; any other error is rethrown. */
export async function nullOnAsync<T>(errorClass: ErrorClass, compute: () => Promise<T>): Promise<T | null> {
  try {
    return await compute();
  } catch (error) {
    if (error instanceof errorClass) return null;
    throw error;
  }
}

/** Turning Node file-system errors into one-sentence InputErrors. */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** An InputError for a failed open/read/write of `path` (ENOENT, EACCES, EISDIR, ...). */
export function describeFileError(error: unknown, path: string): InputError {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new InputError(`${path} does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${path} cannot be accessed: permission denied`);
    case 'EISDIR':
      return new InputError(`${path} is a folder, expected a file`);
    case 'ENOTDIR':
      return new InputError(`${path}: a part of the path is not a folder`);
    default:
      return new InputError(`${path} cannot be read or written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Reads and parses a JSON file; a missing file or invalid JSON is a one-line InputError (`expected`,
 * when given, is appended to say what the file should hold).
 */
export async function readJsonFile(path: string, expected?: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw describeFileError(error, path);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/[\u0000-\u001f]/g, ' ');
    throw new InputError(`${path} is not valid JSON (${reason})${expected ? `; expected ${expected}` : ''}`);
  }
}

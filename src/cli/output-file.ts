import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, LeadliftError } from '../domain/errors.js';

/**
 * Checked before any work is done, so a long scoring run does not end in a failed write: refuses
 * an --output in a folder that does not exist, and one that is the --input file (also through
 * another spelling or a link), since writing would replace the CRM export with no way back.
 */
export function checkOutputPath(input: string, output: string): void {
  const folder = dirname(resolve(output));
  if (!existsSync(folder)) throw outputFileError(output, Object.assign(new Error('missing folder'), { code: 'ENOENT' }));
  if (!existsSync(output) || !existsSync(input)) return;
  if (realpathSync(output) === realpathSync(input)) {
    throw new InputError(`--output ${output} is the --input file; writing the scores there would overwrite the leads. Pick another --output file.`);
  }
}

/** Writes the file; what the user can fix (a missing folder, permissions) is an InputError that says so. */
export function writeOutputFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw outputFileError(path, err);
  }
}

export function outputFileError(path: string, err: unknown): LeadliftError {
  const code = (err as NodeJS.ErrnoException).code;
  const folder = dirname(resolve(path));
  const fix: Record<string, string> = {
    ENOENT: `the folder ${folder} does not exist. Create it, or pick an --output in an existing folder.`,
    ENOTDIR: `${folder} is not a folder. Pick an --output in an existing folder.`,
    EISDIR: 'it is a folder, not a file. Name a file for --output.',
    EACCES: `no permission to write there (folder ${folder}). Pick an --output in a folder you can write to, or ask for write access.`,
    EPERM: `no permission to write there (folder ${folder}). Pick an --output in a folder you can write to, or ask for write access.`,
    EROFS: `${folder} is on a read-only disk. Pick an --output elsewhere.`,
  };
  const why = code ? fix[code] : undefined;
  if (why) return new InputError(`Cannot write ${path}: ${why}`, { cause: err });
  return new LeadliftError(`Cannot write ${path}: ${code ?? String(err)}`, 1, { cause: err });
}

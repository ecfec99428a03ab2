import { accessSync, constants, existsSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../domain/errors.js';
import { fileWriteError } from '../domain/file-write-error.js';
import { PRIVATE_FILE } from '../domain/private-mode.js';

/**
 * Checked before any work is done, so a long scoring or training run does not end in a failed
 * write: refuses an output (`flag`: --output, --save-model) in a folder that does not exist or
 * that this user cannot write to (or a file there they cannot replace), and one that is the
 * --input file (also through another spelling or a link), since writing would replace the CRM
 * export with no way back. `what` is what would be written there.
 */
export function checkOutputPath(input: string, output: string, flag = '--output', what = 'the scores'): void {
  const folder = dirname(resolve(output));
  if (!existsSync(folder)) throw fileWriteError(output, Object.assign(new Error('missing folder'), { code: 'ENOENT' }), flag);
  if (!statSync(folder).isDirectory()) throw fileWriteError(output, Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), flag);
  if (existsSync(output) && statSync(output).isDirectory()) throw fileWriteError(output, Object.assign(new Error('is a folder'), { code: 'EISDIR' }), flag);
  if (existsSync(output) && existsSync(input) && realpathSync(output) === realpathSync(input)) {
    throw new InputError(`${flag} ${output} is the --input file; writing ${what} there would overwrite the leads. Pick another ${flag} file.`);
  }
  // access() fails with the code the write would (EACCES, EROFS), which fileWriteError words.
  try {
    accessSync(existsSync(output) ? output : folder, constants.W_OK);
  } catch (err) {
    throw fileWriteError(output, err, flag);
  }
}

/**
 * Writes the file; what the user can fix (a missing folder, permissions) is an InputError that says so.
 * A new file is 0600: scored leads are CRM data, not for every local user. A file that is
 * replaced keeps the mode its owner gave it.
 */
export function writeOutputFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { mode: PRIVATE_FILE });
  } catch (err) {
    throw fileWriteError(path, err, '--output');
  }
}


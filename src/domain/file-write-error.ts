import { dirname, resolve } from 'node:path';
import { InputError, LeadliftError } from './errors.js';

/**
 * A failed write of a file the user named, in words they can act on: what is wrong with the
 * place (a missing folder, a folder where a file should be, permissions, a read-only disk) and
 * which flag picks another. Those are InputErrors (exit 2); anything else is a failure (exit 1)
 * that still names the file and the system's reason.
 */
export function fileWriteError(path: string, err: unknown, flag: string, what = path): LeadliftError {
  const code = (err as NodeJS.ErrnoException).code;
  const folder = dirname(resolve(path));
  const fix: Record<string, string> = {
    ENOENT: `the folder ${folder} does not exist. Create it, or give ${flag} a path in an existing folder.`,
    ENOTDIR: `${folder} is not a folder. Give ${flag} a path in an existing folder.`,
    EISDIR: `it is a folder, not a file. Name a file for ${flag}.`,
    EACCES: `no permission to write there (folder ${folder}). Give ${flag} a folder you can write to, or ask for write access.`,
    EPERM: `no permission to write there (folder ${folder}). Give ${flag} a folder you can write to, or ask for write access.`,
    EROFS: `${folder} is on a read-only disk. Give ${flag} a path elsewhere.`,
    ENOSPC: `the disk holding ${folder} is full. Free some space, or give ${flag} a path on another disk.`,
  };
  const why = code ? fix[code] : undefined;
  if (why) return new InputError(`Cannot write ${what}: ${why}`, { cause: err });
  const detail = err instanceof Error ? err.message : String(err);
  return new LeadliftError(`Cannot write ${what}: ${detail}`, 1, { cause: err });
}

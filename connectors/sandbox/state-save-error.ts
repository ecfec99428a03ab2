import { LeadliftError } from '../../src/domain/errors.js';

/**
 * A --state save failed. The message says which changes the file lacks, so whoever runs the
 * sandbox knows what a restart from it would not have.
 */
export class SandboxStateSaveError extends LeadliftError {
  readonly file: string;
  constructor(file: string, unsaved: { changes: number; since: string; final: boolean }, cause: unknown) {
    const what = unsaved.changes === 0 ? `the file still holds the state of ${unsaved.since}` : `the ${unsaved.changes} change(s) since ${unsaved.since} are not in that file`;
    const next = unsaved.final ? 'the sandbox is stopping, so a restart from that file will not have them' : 'the sandbox keeps them while it runs and the next save tries again';
    super(`Could not save the sandbox state to ${file} (${(cause as Error).message ?? String(cause)}): ${what}; ${unsaved.changes === 0 ? 'nothing is lost' : next}.`, 1, { cause });
    this.file = file;
  }
}

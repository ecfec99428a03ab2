import { LeadliftError } from '../../src/domain/errors.js';

/**
 * A --state save failed. The message says since when the file lacks changes, so whoever runs the
 * sandbox knows what a restart from it would not have.
 */
export class SandboxStateSaveError extends LeadliftError {
  readonly file: string;
  /**
   * `writes` counts the requests that may have changed the state (every one but a GET or HEAD,
   * searches and refused ones too, plus clock and reset calls): the sandbox does not tell which did.
   */
  constructor(file: string, unsaved: { writes: number; since: string; final: boolean }, cause: unknown) {
    const what =
      unsaved.writes === 0
        ? `the file still holds the state of ${unsaved.since}`
        : `whatever the ${unsaved.writes} write request(s) since ${unsaved.since} changed is not in that file`;
    const next = unsaved.final ? 'the sandbox is stopping, so a restart from that file will not have it' : 'the sandbox keeps it while it runs and the next save tries again';
    super(`Could not save the sandbox state to ${file} (${(cause as Error).message ?? String(cause)}): ${what}; ${unsaved.writes === 0 ? 'nothing is lost' : next}.`, 1, { cause });
    this.file = file;
  }
}

/** The save right after seeding failed: the sandbox did not start, so no change was accepted or lost. */
export class SandboxStateUnwritableError extends LeadliftError {
  readonly file: string;
  constructor(file: string, cause: unknown) {
    super(
      `The sandbox could not start: it cannot write its --state file ${file} (${(cause as Error).message ?? String(cause)}). ` +
        'Give --state a path in a folder that exists and that this user can write to.',
      1,
      { cause },
    );
    this.file = file;
  }
}

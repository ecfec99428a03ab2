import { LeadliftError } from '../domain/errors.js';

/**
 * A running cycle could not renew its lock, so another process may be writing the same CRM: the
 * cycle stopped before its next write. What it already stored stays; the next cycle goes on from it.
 */
export class CycleLockLostError extends LeadliftError {}

/** Something that must not overlap a cycle (a rollback) found one running and changed nothing. */
export class CycleRunningError extends LeadliftError {}

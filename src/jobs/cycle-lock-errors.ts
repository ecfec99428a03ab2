import type { CrmName } from '../../connectors/types.js';
import { LeadliftError } from '../domain/errors.js';

/**
 * A running cycle could not renew its lock, so another process may be writing the same CRM: the
 * cycle stopped before its next write. What it already stored stays; the next cycle goes on from it.
 */
export class CycleLockLostError extends LeadliftError {}

/** Something that must not overlap a cycle (a rollback) found one running and changed nothing. */
export class CycleRunningError extends LeadliftError {}

/**
 * A cycle found another process (usually another instance sharing the store) holding its CRM's
 * cycle lock, and did nothing. Normal with several instances: `note` says so without "failed".
 */
export class CycleSkippedError extends LeadliftError {
  readonly crm: CrmName;
  /** Who holds the lock, as describeLockHolder words it ("pid 4242 on host app-2, since …"). */
  readonly holder: string;
  constructor(crm: CrmName, holder: string, message: string) {
    super(message);
    this.crm = crm;
    this.holder = holder;
  }

  /** For a log line at info level: who runs the cycle instead, and what this instance does. */
  get note(): string {
    return skippedCycleNote(this.crm, this.holder);
  }
}

/**
 * What `serve` logs (at info) when another instance holds a CRM's cycle lock, for its first cycle
 * and its scheduled ones alike, so one grep or alert rule finds both. `kind`: the scheduled
 * cycle's (sync, retrain); the first cycle has none.
 */
export function skippedCycleNote(crm: CrmName, holder: string, kind?: string): string {
  return `${crm}${kind ? ` ${kind}` : ''} cycle skipped: another instance (${holder}) holds the ${crm} cycle lock; this one keeps serving, and its schedule runs the next cycle that finds the lock free`;
}

import { lostPostgresConnectionError } from '../store/lost-connection.js';
import type { StoreConnectionError } from '../store/errors.js';
import type { CycleStep } from './deps.js';

const DURING: Record<CycleStep, string> = { sync: 'sync', train: 'training', prune: 'prune after training', score: 'scoring', push: 'write-back to the CRM' };

/**
 * What a cycle whose PostgreSQL connection went away tells the admin: every page, model and score
 * commits in its own transaction, so what committed before the loss stays and the next cycle
 * goes on from it; the statement under way rolled back.
 */
const KEPT: Record<CycleStep, string> = {
  sync: 'what was synced is kept; the next cycle resumes from it',
  train: 'what was synced is kept and the model in service is the one the store shows; the next cycle resumes from it',
  prune: 'what was synced and the model just trained are kept, and the history not yet pruned goes at the next prune; the next cycle resumes from it',
  score: 'what was synced is kept; the next cycle resumes from it and scores again',
  push: 'what was synced and scored is kept; the next cycle resumes from it and writes what it has not recorded as written',
};

export function lostStoreCycle(err: unknown, location: string, step: CycleStep): StoreConnectionError {
  return lostPostgresConnectionError(err, location, DURING[step], KEPT[step]);
}

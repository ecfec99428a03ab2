import { lostPostgresConnectionError } from '../store/lost-connection.js';
import type { StoreConnectionError } from '../store/errors.js';
import { lostStepWords } from './cycle-step-words.js';
import type { CycleStep } from './deps.js';

/**
 * What a cycle whose PostgreSQL connection went away tells the admin: every page, model and score
 * commits in its own transaction, so what committed before the loss stays and the next cycle
 * goes on from it; the statement under way rolled back.
 */
export function lostStoreCycle(err: unknown, location: string, step: CycleStep): StoreConnectionError {
  const words = lostStepWords(step);
  return lostPostgresConnectionError(err, location, words.during, words.kept);
}

import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';
import { scoreReferences } from './002-score-references.js';
import { forgottenLeads } from './003-forgotten-leads.js';
import { tierCutoffs } from './004-tier-cutoffs.js';
import { scoreReferenceTypical } from './005-score-reference-typical.js';
import { endedSessions } from './006-ended-sessions.js';
import { scoreReferencePopulationQuantiles } from './007-score-reference-population-quantiles.js';
import { stagedOutcomes } from './008-staged-outcomes.js';
import { historyAgeIndexes } from './009-history-age-indexes.js';
import { recordsConverted } from './010-records-converted.js';
import { oauthStates } from './011-oauth-states.js';
import { rateLimitHits } from './012-rate-limit-hits.js';
import { webhookEvents } from './013-webhook-events.js';
import { runProgress } from './014-run-progress.js';
import { scoresRankIndex } from './015-scores-rank-index.js';
import { forgottenLeadsSetAside } from './016-forgotten-leads-set-aside.js';

/**
 * Every migration, in order. Names sort lexically (Kysely runs them in name order), so keep the
 * three-digit prefix. Never edit a migration that has shipped: add the next one.
 */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-score-references': scoreReferences,
  '003-forgotten-leads': forgottenLeads,
  '004-tier-cutoffs': tierCutoffs,
  '005-score-reference-typical': scoreReferenceTypical,
  '006-ended-sessions': endedSessions,
  '007-score-reference-population-quantiles': scoreReferencePopulationQuantiles,
  '008-staged-outcomes': stagedOutcomes,
  '009-history-age-indexes': historyAgeIndexes,
  '010-records-converted': recordsConverted,
  '011-oauth-states': oauthStates,
  '012-rate-limit-hits': rateLimitHits,
  '013-webhook-events': webhookEvents,
  '014-run-progress': runProgress,
  '015-scores-rank-index': scoresRankIndex,
  '016-forgotten-leads-set-aside': forgottenLeadsSetAside,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

import type { ScoreWrite } from '../types.js';
import type { Manifest, ManifestField } from '../../src/domain/manifest.js';
import { writtenProbability } from '../../src/domain/written-probability.js';

/** A score as the record update Salesforce takes: the manifest's field names, typed values. */

export type ScoreRecord = { Id: string } & Record<string, string | number>;

export function scoreFieldNames(manifest: Manifest): Record<ManifestField['key'], string> {
  return Object.fromEntries(manifest.salesforce.fields.map((f) => [f.key, f.name])) as Record<ManifestField['key'], string>;
}

export function toScoreRecord(score: ScoreWrite, names: Record<ManifestField['key'], string>): ScoreRecord {
  const values: Record<ManifestField['key'], string | number> = {
    score: Math.round(score.score),
    tier: score.tier,
    probability: writtenProbability(score.probability),
    reasons: score.reasons,
    trend: score.trend,
    modelVersion: score.modelVersion,
    scoredAt: new Date(score.scoredAt).toISOString(),
  };
  const record: ScoreRecord = { Id: score.leadId };
  for (const [key, name] of Object.entries(names) as Array<[ManifestField['key'], string]>) record[name] = values[key];
  return record;
}

/** Per-record error codes that pass on their own (a locked parent account, a busy org). */
export const RETRYABLE_RECORD_ERRORS = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'REQUEST_RUNNING_TOO_LONG', 'QUERY_TIMEOUT']);

import type { BatchResponseSimplePublicObjectWithErrors, StandardError } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { PushReport, ScoreWrite } from '../types.js';
import type { Manifest, ManifestField } from '../../src/domain/manifest.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { chunks } from './chunks.js';
import { HubspotAuthError, HubspotRateLimitError, HubspotRequestError, HubspotScopeError, HubspotUnavailableError } from './errors.js';
import { sleep } from './rate-window.js';

/**
 * Writes scores onto contacts with batch updates of up to 100. Writing the same values twice
 * changes nothing, so a push can always be repeated. Inside a 207 answer, inputs that failed for
 * a passing reason (rate limit, server error) are sent again; the rest are reported with
 * HubSpot's message. A batch refused as a whole (400) is split in halves until the bad inputs are
 * isolated, so one malformed value does not cost the other 99 their scores.
 */

type Properties = Record<string, string>;
type FailureMap = Map<string, { message: string; retryable: boolean }>;

/** Error categories HubSpot uses for failures that may pass on their own. */
const RETRYABLE_CATEGORIES = new Set(['RATE_LIMITS', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT', 'BAD_GATEWAY']);

export async function pushHubspotScores(caller: ApiCaller, config: HubspotConfig, manifest: Manifest, scores: ScoreWrite[]): Promise<PushReport> {
  const stats: CallStats = { apiCalls: 0, rateLimited: 0 };
  const names = propertyNames(manifest);
  // HubSpot refuses a batch that names an id twice; the last score for a lead is the one meant.
  let pending = new Map<string, Properties>();
  for (const score of scores) pending.set(score.leadId, toProperties(score, names));

  const written = new Set<string>();
  const failed: FailureMap = new Map();

  for (let round = 0; pending.size > 0 && round <= config.retry.retries; round++) {
    if (round > 0) await sleep(Math.min(config.retry.maxDelayMs, config.retry.minDelayMs * 2 ** (round - 1)));
    const retry = new Map<string, Properties>();
    const batches = chunks([...pending], config.batch.writeSize);
    await Promise.all(batches.map((batch) => sendBatch(caller, batch, stats, written, failed, retry)));
    pending = retry;
  }

  return {
    written: [...written],
    failed: [...failed].filter(([id]) => !written.has(id)).map(([leadId, f]) => ({ leadId, ...f })),
    apiCalls: stats.apiCalls,
    rateLimited: stats.rateLimited,
  };
}

async function sendBatch(
  caller: ApiCaller,
  batch: Array<[string, Properties]>,
  stats: CallStats,
  written: Set<string>,
  failed: FailureMap,
  retry: Map<string, Properties>,
): Promise<void> {
  const inputs = batch.map(([id, properties]) => ({ id, properties }));
  let body: BatchResponseSimplePublicObjectWithErrors;
  try {
    const response = await caller.call(
      'standard',
      `writing scores to ${inputs.length} contacts`,
      (api) => api.contacts.batchApi.updateWithHttpInfo({ inputs }),
      stats,
    );
    body = response.data as BatchResponseSimplePublicObjectWithErrors;
  } catch (err) {
    // Nothing will succeed without a valid token and scopes: stop and tell the admin.
    if (err instanceof HubspotAuthError || err instanceof HubspotScopeError) throw err;
    if (err instanceof HubspotRequestError && err.status === 400 && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await Promise.all([batch.slice(0, half), batch.slice(half)].map((part) => sendBatch(caller, part, stats, written, failed, retry)));
      return;
    }
    const retryable = err instanceof HubspotUnavailableError || err instanceof HubspotRateLimitError;
    for (const [id] of batch) failed.set(id, { message: (err as Error).message, retryable });
    return;
  }

  const sent = new Map(batch);
  for (const result of body.results ?? []) {
    written.add(result.id);
    failed.delete(result.id);
    sent.delete(result.id);
  }
  for (const error of body.errors ?? []) {
    const retryable = isRetryable(error);
    for (const id of errorIds(error)) {
      const properties = sent.get(id);
      if (!properties) continue;
      failed.set(id, { message: error.message, retryable });
      if (retryable) retry.set(id, properties);
      sent.delete(id);
    }
  }
  // Inputs HubSpot neither confirmed nor named in an error: send them again.
  for (const [id, properties] of sent) {
    failed.set(id, { message: 'HubSpot did not confirm this update', retryable: true });
    retry.set(id, properties);
  }
}

function isRetryable(error: StandardError): boolean {
  if (RETRYABLE_CATEGORIES.has(error.category)) return true;
  const status = Number(error.status);
  return status === 429 || status >= 500;
}

/** HubSpot names the inputs an error is about in context.ids (or context.id). */
function errorIds(error: StandardError): string[] {
  const context = error.context ?? {};
  return [...(context.ids ?? []), ...(context.id ?? [])].map(String);
}

function propertyNames(manifest: Manifest): Record<ManifestField['key'], string> {
  return Object.fromEntries(manifest.hubspot.properties.map((p) => [p.key, p.name])) as Record<ManifestField['key'], string>;
}

function toProperties(score: ScoreWrite, names: Record<ManifestField['key'], string>): Properties {
  const values: Record<ManifestField['key'], string> = {
    score: String(Math.round(score.score)),
    tier: score.tier,
    probability: String(Math.round(score.probability * 10_000) / 10_000),
    reasons: score.reasons,
    trend: score.trend,
    modelVersion: score.modelVersion,
    scoredAt: new Date(score.scoredAt).toISOString(),
  };
  const out: Properties = {};
  for (const [key, name] of Object.entries(names) as Array<[ManifestField['key'], string]>) out[name] = values[key];
  return out;
}

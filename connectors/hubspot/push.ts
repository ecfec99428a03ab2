import Bottleneck from 'bottleneck';
import type { BatchResponseSimplePublicObjectWithErrors, StandardError } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import type { PushReport, ScoreWrite } from '../types.js';
import type { Manifest, ManifestField } from '../../src/domain/manifest.js';
import { writtenProbability } from '../../src/domain/written-probability.js';
import type { ApiCaller, CallStats } from './api-caller.js';
import type { HubspotConfig } from './config.js';
import { chunks } from '../shared/chunks.js';
import {
  HubspotAuthError,
  HubspotDailyLimitError,
  HubspotPropertyMissingError,
  HubspotRateLimitError,
  HubspotRequestError,
  HubspotScopeError,
  HubspotUnavailableError,
} from './errors.js';
import { roundDelayMs, waitBeforeRound } from '../shared/resend-delay.js';
import { retryNote } from '../shared/retry-notice.js';

/**
 * Writes scores onto contacts with batch updates of up to 100. Writing the same values twice
 * changes nothing, so a push can always be repeated. Failures that may pass (a 5xx or dropped
 * connection for a whole batch, inputs a 207 reports as failed for a passing reason) are resent
 * together in rounds with back-off; a 429 is waited out per Retry-After inside the call (see
 * api-caller.ts). The rest are reported with HubSpot's message. A batch refused as a whole
 * (400) is split in halves until the bad inputs are isolated, so one malformed value does not
 * cost the other 99 their scores, unless HubSpot says one of our properties does not exist: then
 * no write can succeed, and the push stops and says so.
 */

type Properties = Record<string, string>;
type FailureMap = Map<string, { message: string; retryable: boolean; gone?: boolean }>;

/** Error categories HubSpot uses for failures that may pass on their own. */
const RETRYABLE_CATEGORIES = new Set(['RATE_LIMITS', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT', 'BAD_GATEWAY']);

interface PushState {
  caller: ApiCaller;
  stats: CallStats;
  written: Set<string>;
  failed: FailureMap;
  /** The app's own property names: a write naming a missing one of these cannot succeed. */
  ours: Set<string>;
  /** Set once a write cannot succeed; nothing more is sent. */
  stop: { error: Error } | { missing: string[]; action: string } | { daily: HubspotDailyLimitError } | null;
  /** Why the last batch to be resent failed ("HTTP 503", a network code), for the note before the next round. */
  resendReason?: string;
}

export async function pushHubspotScores(caller: ApiCaller, config: HubspotConfig, manifest: Manifest, scores: ScoreWrite[]): Promise<PushReport> {
  const names = propertyNames(manifest);
  // HubSpot refuses a batch that names an id twice; the last score for a lead is the one meant.
  const latest = new Map<string, Properties>();
  for (const score of scores) latest.set(score.leadId, toProperties(score, names));
  const state: PushState = {
    caller,
    stats: { apiCalls: 0, rateLimited: 0 },
    written: new Set(),
    failed: new Map(),
    ours: new Set(Object.values(names)),
    stop: null,
  };

  // Batches wait here rather than in the caller's queue, so a stop is seen before the next is sent.
  const limiter = new Bottleneck({ maxConcurrent: config.rateLimit.maxConcurrent });
  let pending = latest;
  // Every resend goes through the caller's limiter like the first send, so it takes its slot of
  // the same rate window (and waits behind any Retry-After in force).
  for (let round = 0; pending.size > 0 && !state.stop && round <= config.retry.retries; round++) {
    if (round > 0) {
      // Said while it waits, as the caller says its own retries: a push resending for a minute is not a hang.
      const action = `writing scores to ${pending.size} contact${pending.size === 1 ? '' : 's'}`;
      caller.onNote?.(retryNote('HubSpot', state.resendReason ?? 'no answer', action, round, config.retry.retries, roundDelayMs(config.retry, round)));
    }
    await waitBeforeRound(config.retry, round);
    const retry = new Map<string, Properties>();
    const batches = chunks([...pending], config.batch.writeSize);
    await Promise.all(batches.map((batch) => limiter.schedule(() => (state.stop ? Promise.resolve() : sendBatch(state, batch, retry)))));
    pending = retry;
  }

  if (state.stop && 'daily' in state.stop) {
    const reason = state.stop.daily.message;
    const unwritten = [...latest.keys()].filter((id) => !state.written.has(id));
    for (const id of unwritten) if (!state.failed.has(id) || state.failed.get(id)!.retryable) state.failed.set(id, { message: reason, retryable: true });
    return { ...report(state), stopped: { reason, unwritten: unwritten.length } };
  }
  if (state.stop) {
    if ('error' in state.stop) throw state.stop.error;
    const unwritten = [...latest.keys()].filter((id) => !state.written.has(id)).length;
    throw new HubspotPropertyMissingError(state.stop.action, state.stop.missing, unwritten);
  }
  return report(state);
}

function report(state: PushState): PushReport {
  return {
    written: [...state.written],
    failed: [...state.failed].filter(([id]) => !state.written.has(id)).map(([leadId, f]) => ({ leadId, ...f })),
    apiCalls: state.stats.apiCalls,
    rateLimited: state.stats.rateLimited,
  };
}

async function sendBatch(state: PushState, batch: Array<[string, Properties]>, retry: Map<string, Properties>): Promise<void> {
  if (state.stop) return;
  const { written, failed } = state;
  const inputs = batch.map(([id, properties]) => ({ id, properties }));
  const action = `writing scores to ${inputs.length} contact${inputs.length === 1 ? '' : 's'}`;
  let body: BatchResponseSimplePublicObjectWithErrors;
  try {
    const response = await state.caller.call(
      'standard',
      action,
      (api) => api.contacts.batchApi.updateWithHttpInfo({ inputs }),
      state.stats,
      // The rounds resend a batch that failed for a passing reason; retrying inside the call as
      // well would send it up to (retries + 1)^2 times.
      { noRetry: true },
    );
    body = response.data as BatchResponseSimplePublicObjectWithErrors;
  } catch (err) {
    // Nothing is answered before the day's allowance resets: the rest stays pending (report.stopped).
    if (err instanceof HubspotDailyLimitError) {
      state.stop ??= { daily: err };
      return;
    }
    // Nothing will succeed without a valid token and scopes: stop and tell the admin.
    if (err instanceof HubspotAuthError || err instanceof HubspotScopeError) {
      state.stop ??= { error: err };
      return;
    }
    if (err instanceof HubspotRequestError && err.status === 400) {
      const missing = err.missingProperties.filter((name) => state.ours.has(name));
      if (missing.length > 0) {
        state.stop ??= { missing, action };
        return;
      }
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await Promise.all([batch.slice(0, half), batch.slice(half)].map((part) => sendBatch(state, part, retry)));
        return;
      }
    }
    // A 429 reaches here only after the caller waited out retry.maxRateLimitWaits of them: the
    // portal's allowance is taken, and waiting more is the next run's job, not another round's.
    const resend = err instanceof HubspotUnavailableError;
    const retryable = resend || err instanceof HubspotRateLimitError;
    for (const [id, properties] of batch) {
      failed.set(id, { message: (err as Error).message, retryable });
      if (resend) retry.set(id, properties);
    }
    if (resend) {
      const status = (err as { status?: unknown }).status;
      state.resendReason = typeof status === 'number' && status > 0 ? `HTTP ${status}` : 'no answer';
    }
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
      // An archived contact is refused this way too; one purged for good shows in no listing.
      const gone = error.category === 'OBJECT_NOT_FOUND';
      failed.set(id, gone ? { message: `HubSpot has no contact ${id} any more (deleted): ${error.message}`, retryable: false, gone } : { message: error.message, retryable });
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
    probability: String(writtenProbability(score.probability)),
    reasons: score.reasons,
    trend: score.trend,
    modelVersion: score.modelVersion,
    scoredAt: new Date(score.scoredAt).toISOString(),
  };
  const out: Properties = {};
  for (const [key, name] of Object.entries(names) as Array<[ManifestField['key'], string]>) out[name] = values[key];
  return out;
}

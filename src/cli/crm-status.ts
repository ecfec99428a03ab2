import { redact } from '../../connectors/shared/redact.js';
import type { CrmName } from '../../connectors/types.js';
import { describePromotion, storedComparison } from '../domain/promotion-reason.js';
import { cycleLockName, describeLockHolder } from '../jobs/cycle-lock.js';
import { latestScoreOfOpenLead } from '../store/open-lead-scores.js';
import { recordedCrmAccount, type CrmAccount } from '../store/crm-account.js';
import type { Run } from '../store/runs.js';
import type { Store } from '../store/store.js';

/**
 * What `leadlift status` says of one CRM, read from the store alone (never the CRM): the keys of
 * its --json output, a contract once released (README "Commands").
 */
export interface CrmStatus {
  crm: CrmName;
  /** The portal or org the store's data of this CRM belongs to (null: no cycle has connected yet). */
  account: CrmAccount | null;
  /** OAuth tokens are kept in the store (an install from /install); a private-app token in the environment is not. Never the tokens. */
  tokensStored: boolean;
  /** A cycle holds the CRM's lock now (any process sharing the store). */
  running: { since: string; holder: string; step: string | null } | null;
  /** The cycle that ended last, ok or failed. */
  lastCycle: {
    startedAt: string;
    finishedAt: string;
    status: 'ok' | 'failed';
    /** Leads read from the CRM, scored, written back and refused, from its summary (null for a failed cycle, which keeps none). */
    synced: number | null;
    scored: number | null;
    written: number | null;
    failed: number | null;
    /** A failed cycle's reason, scrubbed of every secret this process knows, as the log is. */
    error: string | null;
  } | null;
  /** When the last successful cycle ended. */
  lastSuccessAt: string | null;
  model: {
    version: string;
    engine: string;
    trainedAt: string;
    promotedAt: string | null;
    /** AUC on the newest closed leads it was evaluated on (null when not measured). */
    auc: number | null;
    evaluatedOnLeads: number | null;
    /** Closed leads the served model learnt from (a promoted model is refitted on every one). */
    trainedOnLeads: number | null;
  } | null;
  lastRetrain: {
    startedAt: string;
    finishedAt: string;
    status: 'ok' | 'failed';
    version: string | null;
    promoted: boolean | null;
    /** "Promoted …" / "Not promoted: …", or a failed training's reason. */
    outcome: string;
  } | null;
  /** Open leads' latest scores, by tier (highest tier first). */
  openLeads: { scored: number; byTier: Array<{ tier: string; leads: number }> };
  /** Latest scores waiting to be written (pending), and refused by the CRM (failed: retried by the next push). */
  pushes: { pending: number; failed: number };
}

/** Reads one CRM's status from the store; `secrets` are scrubbed from any stored error text. */
export async function crmStatus(store: Store, crm: CrmName, secrets: readonly string[], now = Date.now()): Promise<CrmStatus> {
  const [account, tokenRow, holder, lastCycle, lastOk, models, lastTrain, tiers, pending, failed] = await Promise.all([
    recordedCrmAccount(store.settings, crm),
    store.db.selectFrom('oauth_tokens').select('crm').where('crm', '=', crm).executeTakeFirst(),
    store.runLock.holder(cycleLockName(crm)),
    store.runs.lastEnded('cycle', crm),
    store.runs.lastFinished('cycle', crm, 'ok'),
    store.models.list(crm),
    store.runs.lastEnded('train', crm),
    openLeadsByTier(store, crm),
    store.scores.countPending(crm, { statuses: ['pending'] }),
    store.scores.countPending(crm, { statuses: ['failed'] }),
  ]);
  // An expired lock is a holder that died: it runs nothing, and the next cycle takes it over.
  const live = holder && Date.parse(holder.expiresAt) > now ? holder : null;
  const runningRun = live ? (await store.runs.list({ kind: 'cycle', crm, limit: 1 })).find((r) => r.status === 'running') : undefined;
  const active = models.find((m) => m.status === 'active') ?? null;
  const scrub = (text: string | null) => (text === null ? null : redact(text, [...secrets]));
  return {
    crm,
    account,
    tokensStored: tokenRow !== undefined,
    running: live ? { since: live.acquiredAt, holder: describeLockHolder(live), step: runningRun?.progress?.step ?? null } : null,
    lastCycle: lastCycle && cycleOf(lastCycle, scrub),
    lastSuccessAt: lastOk?.finishedAt ?? null,
    model: active && {
      version: active.version,
      engine: active.engine,
      trainedAt: active.createdAt,
      promotedAt: active.promotedAt,
      auc: numberOr(active.metrics.auc),
      evaluatedOnLeads: numberOr(active.metrics.test),
      trainedOnLeads: numberOr((active.metrics.trainingSet as { closed?: unknown } | undefined)?.closed) ?? numberOr(active.metrics.rows),
    },
    lastRetrain: lastTrain && retrainOf(lastTrain, scrub),
    openLeads: { scored: tiers.reduce((n, t) => n + t.leads, 0), byTier: tiers },
    pushes: { pending, failed },
  };
}

function cycleOf(run: Run, scrub: (text: string | null) => string | null): NonNullable<CrmStatus['lastCycle']> {
  const s = run.summary as { sync?: { leads?: unknown }; score?: { scored?: unknown }; push?: { written?: unknown; failed?: unknown } } | null;
  return {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? run.startedAt,
    status: run.status === 'ok' ? 'ok' : 'failed',
    synced: numberOr(s?.sync?.leads),
    scored: numberOr(s?.score?.scored),
    written: numberOr(s?.push?.written),
    failed: numberOr(s?.push?.failed),
    error: run.status === 'ok' ? null : scrub(run.error ?? 'failed (no reason recorded)'),
  };
}

function retrainOf(run: Run, scrub: (text: string | null) => string | null): NonNullable<CrmStatus['lastRetrain']> {
  const summary = run.summary ?? {};
  const comparison = storedComparison(summary);
  const ok = run.status === 'ok';
  return {
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? run.startedAt,
    status: ok ? 'ok' : 'failed',
    version: typeof summary.version === 'string' ? summary.version : null,
    promoted: typeof summary.promoted === 'boolean' ? summary.promoted : null,
    outcome: ok ? (comparison ? describePromotion(comparison).text : String(summary.reason ?? 'trained')) : `Failed: ${scrub(run.error ?? 'no reason recorded')}`,
  };
}

/** The tiers reps see now: each open lead's latest score, as the admin pages count them; highest tier first. */
async function openLeadsByTier(store: Store, crm: CrmName): Promise<Array<{ tier: string; leads: number }>> {
  const rows = await store.db
    .selectFrom('scores as s')
    .select(['s.tier', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('s.score').as('lowest')])
    .where('s.crm', '=', crm)
    .where(latestScoreOfOpenLead)
    .groupBy('s.tier')
    .execute();
  return rows
    .map((r) => ({ tier: r.tier, leads: Number(r.n), lowest: Number(r.lowest) }))
    .sort((a, b) => b.lowest - a.lowest)
    .map(({ tier, leads }) => ({ tier, leads }));
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

import type { Cursor, DailyApiUsage, Page } from '../../connectors/types.js';
import { LEAD_OBJECT, LEADS_STREAM, OUTCOMES_STREAM, type LoopDeps, type NoteLevel } from './deps.js';
import { nowIso } from '../store/iso-time.js';
import { inputProperties, neverInputMatcher } from './never-inputs.js';
import { outcomeRuleChange } from './outcome-rule.js';
import { rederiveOutcomes } from './rederive-outcomes.js';
import { dropRederive, rederiveCheckpoint } from './rederive-progress.js';
import { wholeNumber } from '../domain/counted.js';
import { assertScoredObject } from './scored-object.js';

export interface SyncResult {
  /**
   * Distinct leads read and stored: a lead the CRM sent twice (a timestamp tie re-read by the
   * HubSpot search) counts once; a forgotten lead, never stored, not at all.
   */
  leads: number;
  /** Of those, the new leads and the ones whose input values (never-inputs.ts), archived or converted state changed. */
  leadsChanged: number;
  /** Distinct outcomes read and stored, as for leads. */
  outcomes: number;
  /** Of those, leads newly closed and outcomes that flipped (won <-> lost); a date moving alone is not a change. */
  outcomesChanged: number;
  /** Records as the CRM sent them, re-reads included: the reading effort, not what changed. */
  received: { leads: number; outcomes: number };
  pages: number;
  /**
   * Set when the outcome rule changed (or was first recorded over stored outcomes) and this sync
   * derived every outcome again: the rule before (null: not recorded) and now, and the outcomes
   * that no lead has any more (open under the new rule). `outcomes`/`outcomesChanged` count the rest.
   * `applied` false: the pull stopped short (the API share), nothing was replaced, the next sync
   * continues the re-read where this one stopped. `readSoFar`: outcomes read under the new rule so
   * far, this sync's and the earlier ones' it continued (once applied, the outcomes now stored).
   */
  outcomeRule?: { was: string | null; now: string; removed: number; applied: boolean; readSoFar: number };
  /**
   * The streams a pull stopped before their end on purpose (the Salesforce API share): what they
   * read is stored and the next sync reads on from there. Absent when every stream was read to its end.
   */
  cutShort?: Array<'leads' | 'outcomes'>;
  /**
   * The CRM's daily API allowance as read when this sync began (HubSpot private apps; see
   * Connector.readDailyUsage). Absent: the CRM has none for this credential, or the read failed.
   */
  dailyLimit?: DailyApiUsage;
  /** What the connectors said about how they read the CRM (each also logged once). */
  notes: string[];
}

/**
 * Pulls leads and outcomes from where the last sync stopped. Each page and the cursor after it
 * are stored in one transaction (store.commitPage), so a crash anywhere resumes from the last
 * stored page: nothing is lost, and the replayed page is absorbed by the upserts.
 *
 * Our own score write-back makes the CRM re-date every lead written, so the next sync reads them
 * all again. That re-read stays: no CRM search can leave out records whose only change is ours,
 * and moving the cursor past them would also skip a rep's edit made in the same window. So each
 * page is compared with the stored leads: the summary tells leads read from leads changed, and
 * scoring stores and writes nothing for a lead whose inputs and score are as last time (score.ts).
 *
 * Before reading anything, a store built from another CRM object is refused (scored-object.ts),
 * and outcomes derived under another outcome rule are read again in full and replace the stored
 * ones in one transaction at the end (outcome-rule.ts, rederive-outcomes.ts). Such a re-read may
 * span several syncs (the API share); the ordinary outcome pull waits for it, and a rule set back
 * to the one the stored outcomes follow drops it (rederive-progress.ts).
 */
export async function syncFromCrm(deps: LoopDeps): Promise<SyncResult> {
  const { store, connector, config } = deps;
  const crm = connector.crm;
  const isNeverInput = neverInputMatcher(config, crm, deps.manifest);
  const compare = { inputsOf: (properties: Record<string, string | null>) => inputProperties(properties, isNeverInput), since: nowIso() };
  let pages = 0;
  let received = 0;
  const notes: string[] = [];
  await assertScoredObject(store, connector);
  // Before the rule's fingerprint can replace the stored outcomes: a setting that would misclassify leads stops here.
  await connector.checkOutcomeSettings?.();
  const ruleChange = await outcomeRuleChange(store, connector);
  const say = (note: string, level?: NoteLevel) => {
    notes.push(note);
    deps.log?.(note, level);
  };
  // A rule change is said by the re-derive (rederive-outcomes.ts): once when it begins, not at every sync it spans.
  const stale = ruleChange ? null : await rederiveCheckpoint(store, crm);
  if (stale) {
    // Set back mid-way to the rule the stored outcomes follow: what was read under the other is no use.
    const staged = await dropRederive(store, crm);
    if (stale.progress) say(droppedForRuleBack(stale.progress.describe, staged));
  }
  // The CRM does not say up front how many records an incremental pull holds: a count, no total.
  const tick = () => deps.onProgress?.('sync', received, null);
  tick();
  // One request before the pulls: a refusal later in the cycle can then say when the limit resets.
  const daily = await connector.readDailyUsage?.();

  type Drained = { received: number; read: number; changed: number; removed?: number; cutShort?: boolean; readSoFar?: number };
  const drain = async <T>(stream: string, pull: (cursor: Cursor | null) => AsyncIterable<Page<T>>, objectType?: string): Promise<Drained> => {
    const counts: Drained = { received: 0, read: 0, changed: 0 };
    const cursor = await store.checkpoints.get(crm, stream);
    for await (const page of pull(cursor)) {
      deps.signal?.throwIfAborted();
      if (page.cutShort) {
        // Nothing to store, and its cursor is no position: the last full page's checkpoint stands.
        // A pull cut short (leadlift's API share) is a warning: the scores lag until the next sync.
        for (const note of page.notes ?? []) say(note, 'warn');
        counts.cutShort = true;
        continue;
      }
      const archive = page.mergedAway?.length ? { archive: page.mergedAway } : {};
      const committed = await store.commitPage(crm, stream, page.records as never, page.cursor, { ...(objectType ? { objectType } : {}), compare, ...archive });
      for (const note of page.notes ?? []) say(note);
      pages += 1;
      counts.received += page.records.length;
      counts.read += committed.changes?.read ?? 0;
      counts.changed += committed.changes?.changed ?? 0;
      received += page.records.length;
      tick();
    }
    return counts;
  };

  const rederive = async (change: NonNullable<typeof ruleChange>): Promise<Drained> => {
    const done = await rederiveOutcomes(
      deps,
      change,
      (page) => {
        for (const note of page.notes) say(note);
        pages += 1;
        received += page.records;
        tick();
      },
      say,
    );
    return { received: done.received, read: done.read, changed: done.changed, removed: done.removed, cutShort: done.cutShort, readSoFar: done.readSoFar };
  };

  // The streams are independent (each has its own checkpoint), so they are read side by side.
  // When one fails the other still finishes its page, so nothing runs on after the sync returns.
  const settled = await Promise.allSettled([
    drain(LEADS_STREAM, (c) => connector.pullLeads(c), LEAD_OBJECT),
    ruleChange ? rederive(ruleChange) : drain(OUTCOMES_STREAM, (c) => connector.pullOutcomes(c)),
  ]);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  // Said once the pulls went through: when the CRM cannot be reached at all, the pull's failure
  // says so, and a line about the usage read before it would only bury that.
  if (daily?.note) say(daily.note);
  const [leads, outcomes] = settled.map((r) => (r as PromiseFulfilledResult<Drained>).value);
  // A re-derive cut short is said by outcomeRule.applied: the stored outcomes stay whole under the rule before.
  const cutShort = [...(leads.cutShort ? (['leads'] as const) : []), ...(outcomes.cutShort && !ruleChange ? (['outcomes'] as const) : [])];
  deps.onProgress?.('sync', received, null);
  return {
    leads: leads.read,
    leadsChanged: leads.changed,
    outcomes: outcomes.read,
    outcomesChanged: outcomes.changed,
    received: { leads: leads.received, outcomes: outcomes.received },
    pages,
    ...(ruleChange
      ? { outcomeRule: { was: ruleChange.was, now: ruleChange.rule.describe, removed: outcomes.removed ?? 0, applied: !outcomes.cutShort, readSoFar: outcomes.readSoFar ?? 0 } }
      : {}),
    ...(cutShort.length > 0 ? { cutShort } : {}),
    ...(daily?.usage ? { dailyLimit: daily.usage } : {}),
    notes,
  };
}

function droppedForRuleBack(was: string, staged: number): string {
  return (
    `The outcome rule is back to the one the stored outcomes follow: the re-derive under ${was} begun earlier is dropped with the ${wholeNumber(staged)} outcomes it had read, ` +
    'and the outcome sync carries on from its own checkpoint.'
  );
}

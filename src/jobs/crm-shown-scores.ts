import type { ManifestField } from '../domain/manifest.js';
import type { Tier } from '../config/tiers.js';
import type { StoredRecord } from '../store/records.js';
import type { StoredScore } from '../store/scores.js';
import type { LoopDeps } from './deps.js';
import { openLeadPages } from './open-lead-pages.js';
import { writtenProbability } from '../domain/written-probability.js';

/**
 * Leads whose score fields in the CRM no longer show what leadlift last wrote: edited by a user,
 * overwritten by an import or a workflow. The push compares new scores with what it last sent,
 * so without this such a lead would keep the wrong values until its score itself changed.
 *
 * The sync reads the app's own fields with every lead (never as model inputs), so this needs no
 * CRM call: each open lead's stored values are compared with its last pushed score. Only a read
 * dated no earlier than that push's second counts: an older one may show the values from before it
 * (a read that raced the write, or a search index that had not caught up). Salesforce stamps whole
 * seconds, so an edit made within the push's own second, after the write, is dated no later than
 * the push: such a read counts too, at worst for one needless rewrite of a lead read just before
 * the write landed. A field the read did not carry
 * (a record stored before this check existed, a Salesforce field the user may not read) says
 * nothing, so it is skipped. Values are compared as written: numbers as numbers, the probability
 * at the four decimals the connectors write, text without line-ending differences, datetimes as
 * instants to the second.
 */


/**
 * What the open leads show in the CRM, as far as the push after a scoring pass needs it. The
 * scoring pass reads every open lead page by page anyway, so it fills this in as it goes
 * (observeOpenLeads) and the push reads no lead again; a push with no scoring pass before it
 * (none active yet) scans the open leads itself (scanOpenLeads).
 */
export interface CrmShownScores {
  /** Open leads whose score fields the CRM shows otherwise than leadlift last wrote them. */
  differ: Set<string>;
  /**
   * Open leads whose last written tier is none of `tierNames`, with that tier: the only leads that
   * may still hold a tier option the managers dropped (retiring-tier-options.ts). The push adds
   * the leads it writes with such a tier.
   */
  offTier: Map<string, string>;
  tierNames: ReadonlySet<string>;
  /** Set once every open lead was looked at (or every one of `only`); until then the push scans for itself. */
  complete: boolean;
  /**
   * Set when only these leads were looked at (a rescore of the leads a webhook named): the push
   * puts right those of them the CRM shows otherwise, and leaves the retiring tier options, which
   * need every open lead looked at, to the next cycle.
   */
  only?: ReadonlySet<string>;
}

export function crmShownScores(tiers: readonly Tier[]): CrmShownScores {
  return { differ: new Set(), offTier: new Map(), tierNames: new Set(tiers.map((t) => t.name)), complete: false };
}

/**
 * Adds one page of open leads: one look-up of what was last pushed to them. Call it once the
 * page's new scores are stored, so it sees the store as a later scan would.
 */
export async function observeOpenLeads(deps: LoopDeps, shown: CrmShownScores, leads: readonly StoredRecord[]): Promise<void> {
  if (leads.length === 0) return;
  const { store, connector, manifest } = deps;
  const crm = connector.crm;
  const fields = crm === 'hubspot' ? manifest.hubspot.properties : manifest.salesforce.fields;
  const pushed = await store.scores.lastPushed(crm, leads.map((lead) => lead.id));
  for (const lead of leads) {
    const last = pushed.get(lead.id);
    if (!last) continue;
    if (!shown.tierNames.has(last.tier)) shown.offTier.set(lead.id, last.tier);
    if (last.pushedAt === null || wholeSecond(lead.modifiedAt) < wholeSecond(last.pushedAt)) continue;
    if (fields.some((f) => Object.hasOwn(lead.properties, f.name) && !sameAsWritten(f, last, lead.properties[f.name]))) shown.differ.add(lead.id);
  }
}

/** For a push no scoring pass went before: every open lead, read once. */
export async function scanOpenLeads(deps: LoopDeps, tiers: readonly Tier[]): Promise<CrmShownScores> {
  const shown = crmShownScores(tiers);
  for await (const leads of openLeadPages(deps)) {
    await observeOpenLeads(deps, shown, leads);
  }
  shown.complete = true;
  return shown;
}

/** Whether `shown` (as the CRM returned it) is the value leadlift wrote for this field. */
export function sameAsWritten(field: Pick<ManifestField, 'key' | 'type'>, score: StoredScore, shown: string | null): boolean {
  if (shown === null || shown.trim() === '') return false;
  switch (field.key) {
    case 'score':
      return Number(shown) === Math.round(score.score);
    case 'probability':
      return writtenProbability(Number(shown)) === writtenProbability(score.probability);
    case 'scoredAt':
      return Math.floor(Date.parse(shown) / 1000) === Math.floor(Date.parse(score.scoredAt) / 1000);
    case 'tier':
      return shown.trim() === score.tier;
    case 'trend':
      return shown.trim() === score.trend;
    case 'modelVersion':
      return shown.trim() === score.modelVersion;
    case 'reasons':
      return text(shown) === text(score.reasons);
  }
}

function wholeSecond(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

function text(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

/** The scores to write again for those leads: their latest, when it is what the CRM should show (not pending, not refused). */
export function rewrites(latest: Map<string, StoredScore>, leads: ReadonlySet<string>): StoredScore[] {
  return [...leads].flatMap((id) => {
    const score = latest.get(id);
    return score && (score.pushStatus === 'pushed' || score.pushStatus === 'unchanged') ? [score] : [];
  });
}

import { blendedContributions } from '../model/blend.js';
import type { ScoringModel } from '../scoring/score-leads.js';
import { TypicalLeadSum, typicalOfBand } from '../scoring/typical-lead.js';
import { LEAD_OBJECT, type LoopDeps } from './deps.js';
import { inputProperties, neverInputMatcher } from './never-inputs.js';
import { openLeadMatrix } from './open-lead-matrix.js';
import { OPEN_LEAD_PAGE, openLeadPages } from './open-lead-pages.js';

/**
 * The open leads' typical lead (typical-lead.ts), once the first pass knows each one's predicted
 * raw probability (`ids` and `raw` in the pass's order). Only the middle fifth's contributions
 * make it, so only those leads (and a margin) are read again and explained, instead of every open
 * lead: contributions cost several predictions. The numbers are those of every lead's
 * contributions; when that cannot be vouched for (a lead forgotten since the pass, see
 * TypicalLeadSum.result), every open lead is explained after all.
 */
export async function openLeadsTypical(deps: LoopDeps, model: ScoringModel, now: number, ids: readonly string[], raw: Float64Array): Promise<number[] | undefined> {
  const { store, connector } = deps;
  const crm = connector.crm;
  const { band, sum } = typicalOfBand(raw);
  for (let start = 0; start < band.length; start += OPEN_LEAD_PAGE) {
    const rows = band.slice(start, start + OPEN_LEAD_PAGE);
    const byId = new Map((await store.records.getMany(crm, LEAD_OBJECT, rows.map((row) => ids[row]))).map((r) => [r.id, r]));
    const leads = rows.map((row) => byId.get(ids[row]));
    if (leads.some((lead) => lead === undefined)) return everyOpenLeadTypical(deps, model, now);
    sum.add(contributionsOf(deps, model, now, leads.map((lead) => lead!.properties)), rows.map((row) => raw[row]));
  }
  const typical = sum.result();
  return typical !== null ? typical : everyOpenLeadTypical(deps, model, now);
}

/** The straightforward way: every open lead's contributions. */
export async function everyOpenLeadTypical(deps: LoopDeps, model: ScoringModel, now: number): Promise<number[] | undefined> {
  const sum = new TypicalLeadSum();
  for await (const leads of openLeadPages(deps)) {
    sum.add(contributionsOf(deps, model, now, leads.map((lead) => lead.properties)));
  }
  return sum.result() ?? undefined;
}

function contributionsOf(deps: LoopDeps, model: ScoringModel, now: number, properties: Array<Record<string, string | null>>) {
  const crm = deps.connector.crm;
  const isNeverInput = neverInputMatcher(deps.config, crm, deps.manifest);
  const x = openLeadMatrix(model, properties.map((p) => inputProperties(p, isNeverInput)), crm, now);
  return blendedContributions(model.forest, model.blend, x);
}
